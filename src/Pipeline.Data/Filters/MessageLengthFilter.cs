namespace Pipeline.Data.Filters;

/// <summary>
/// Drops examples with a message (or chosen/rejected reply) shorter or longer than the bounds, in characters after
/// normalization: "empty_message" for nothing left, "too_short", "too_long".
/// </summary>
public sealed class MessageLengthFilter(int minChars, int? maxChars) : IExampleFilter
{
    public string Name => "message_length";

    public ExampleVerdict Apply(Example example)
    {
        foreach (var (what, text) in Texts(example))
        {
            if (text.Length == 0) return ExampleVerdict.Drop("empty_message", $"{what} is empty");
            if (text.Length < minChars) return ExampleVerdict.Drop("too_short", $"{what} has {text.Length} characters; the minimum is {minChars}");
            if (text.Length > maxChars) return ExampleVerdict.Drop("too_long", $"{what} has {text.Length} characters; the maximum is {maxChars}");
        }
        return ExampleVerdict.Keep(example);
    }

    private static IEnumerable<(string What, string Text)> Texts(Example example)
    {
        for (int i = 0; i < example.Messages.Count; i++) yield return ($"{example.Messages[i].Role} turn {i + 1}", example.Messages[i].Content);
        if (example.Chosen is not null) yield return ("the chosen reply", example.Chosen);
        if (example.Rejected is not null) yield return ("the rejected reply", example.Rejected);
    }
}
