using Pipeline.Cleaning.Quality;
using Pipeline.Data;

namespace Pipeline.Cleaning.Adapters;

/// <summary>Maps Pipeline.Data's <see cref="Example"/> to and from the cleaning algorithms' own types.</summary>
public static class ExampleConversion
{
    public static ConversationSample ToSample(Example example) =>
        new(example.Id, [.. example.Messages.Select(m => new ConversationTurn(m.Role, m.Content))], example.Chosen, example.Rejected);

    /// <summary>Every text of the example in one list: message contents, then chosen, then rejected (those present).</summary>
    public static List<string> Texts(Example example)
    {
        var texts = example.Messages.Select(m => m.Content).ToList();
        if (example.Chosen is not null) texts.Add(example.Chosen);
        if (example.Rejected is not null) texts.Add(example.Rejected);
        return texts;
    }

    /// <summary>The example with its texts replaced, in the order <see cref="Texts"/> gave them.</summary>
    public static Example WithTexts(Example example, IReadOnlyList<string> texts)
    {
        var messages = example.Messages.Select((m, i) => m with { Content = texts[i] }).ToList();
        var next = messages.Count;
        var chosen = example.Chosen is null ? null : texts[next++];
        var rejected = example.Rejected is null ? null : texts[next];
        return example with { Messages = messages, Chosen = chosen, Rejected = rejected };
    }
}
