namespace Pipeline.Data;

/// <summary>
/// The texts of an <see cref="Example"/> as the cleaning steps see them: every message, then chosen and rejected (those
/// present), in one order that scrubbing and near-duplicate signatures share.
/// </summary>
public static class ExampleTexts
{
    /// <summary>Every text of the example: message contents, then chosen, then rejected (those present).</summary>
    public static List<string> Texts(this Example example)
    {
        var texts = example.Messages.Select(m => m.Content).ToList();
        if (example.Chosen is not null) texts.Add(example.Chosen);
        if (example.Rejected is not null) texts.Add(example.Rejected);
        return texts;
    }

    /// <summary>The example with its texts replaced, in the order <see cref="Texts"/> gave them.</summary>
    public static Example WithTexts(this Example example, IReadOnlyList<string> texts)
    {
        var messages = example.Messages.Select((m, i) => m with { Content = texts[i] }).ToList();
        var next = messages.Count;
        var chosen = example.Chosen is null ? null : texts[next++];
        var rejected = example.Rejected is null ? null : texts[next];
        return example with { Messages = messages, Chosen = chosen, Rejected = rejected };
    }

    /// <summary>
    /// Whether the example carries a preference reply (chosen or rejected). Unlike <see cref="Example.IsPreferencePair"/>
    /// this is true for a half pair too, which the malformed-conversation check reports.
    /// </summary>
    public static bool HasPreferenceReply(this Example example) => example.Chosen is not null || example.Rejected is not null;

    /// <summary>The replies a model learns from: every assistant message, then chosen and rejected.</summary>
    public static IEnumerable<string> Responses(this Example example)
    {
        foreach (var message in example.Messages)
            if (message.Role == ChatRoles.Assistant)
                yield return message.Content;
        if (example.Chosen is not null) yield return example.Chosen;
        if (example.Rejected is not null) yield return example.Rejected;
    }

    /// <summary>The reply trained toward: chosen for a pair, otherwise the last assistant message.</summary>
    public static string? FinalResponse(this Example example) =>
        example.HasPreferenceReply() ? example.Chosen : example.Messages.LastOrDefault(m => m.Role == ChatRoles.Assistant)?.Content;
}
