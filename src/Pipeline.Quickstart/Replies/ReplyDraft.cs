namespace Pipeline.Quickstart.Replies;

/// <summary>A reply in parts, so a flaw can change one part: greeting, sentences before the body, body, sentences after it, sign-off.</summary>
internal sealed class ReplyDraft
{
    public string? Greeting { get; set; }

    public List<string> Lead { get; } = [];

    public required string Body { get; set; }

    public List<string> Tail { get; } = [];

    public string? SignOff { get; set; }

    public string Render()
    {
        var sentences = new List<string>();
        sentences.AddRange(Lead);
        sentences.Add(Body);
        sentences.AddRange(Tail);
        if (Greeting is not null)
        {
            // The first sentence continues the greeting's line: "Hi Anna, sorry for the wait."
            sentences[0] = TextCase.AfterComma(sentences[0]);
            sentences.Insert(0, Greeting);
        }
        var text = string.Join(" ", sentences);
        return SignOff is null ? text : text + "\n" + SignOff;
    }
}
