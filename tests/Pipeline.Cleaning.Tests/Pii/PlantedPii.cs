using Pipeline.Cleaning.Pii;

namespace Pipeline.Cleaning.Tests.Pii;

/// <summary>A sentence with one planted value of a known type at a known place (Type null: a negative, no PII at all).</summary>
internal sealed record PlantedSentence(string Text, PiiType? Type, int Start, int Length, string Format)
{
    public string Value => Text.Substring(Start, Length);

    public static PlantedSentence Plant(string template, string value, PiiType type, string format)
    {
        var start = template.IndexOf("{v}", StringComparison.Ordinal);
        return new PlantedSentence(template.Replace("{v}", value), type, start, value.Length, format);
    }

    public static PlantedSentence Negative(string text, string format) => new(text, null, 0, 0, format);
}
