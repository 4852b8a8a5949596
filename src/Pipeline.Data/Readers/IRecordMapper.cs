using System.Text.Json;

namespace Pipeline.Data.Readers;

/// <summary>Turns one JSON record (a JSON Lines line, an array element, a table row) of one format into an <see cref="Example"/>.</summary>
internal interface IRecordMapper
{
    DataFormat Format { get; }

    /// <summary>What each record must have, for error messages: "a 'conversations' list".</summary>
    string ExpectedShape { get; }

    /// <summary>Whether the record has this format's distinguishing fields (used to check the first record).</summary>
    bool Recognizes(JsonElement record);

    /// <summary>Maps the record; throws <see cref="InvalidRowException"/> for a bad row.</summary>
    Example Map(JsonElement record, SourceLocation source);
}

internal static class RecordMappers
{
    public static IRecordMapper For(DataFormat format) => format switch
    {
        DataFormat.Alpaca => AlpacaReader.Instance,
        DataFormat.ShareGpt => ShareGptReader.Instance,
        DataFormat.OpenAi => OpenAiMessagesReader.Instance,
        DataFormat.Preference => PreferenceReader.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a record format"),
    };

    /// <summary>
    /// Tells a record format from a record's keys or a table's columns. Preference first (its records may also carry
    /// a messages list as the prompt), then conversations, messages, instruction-style.
    /// </summary>
    public static DataFormat? Detect(IReadOnlyCollection<string> keys)
    {
        bool Has(string key) => keys.Contains(key, StringComparer.OrdinalIgnoreCase);
        if (Has("chosen") && Has("rejected")) return DataFormat.Preference;
        if (Has("conversations")) return DataFormat.ShareGpt;
        if (Has("messages")) return DataFormat.OpenAi;
        if (Has("instruction") || (Has("prompt") && (Has("response") || Has("completion") || Has("output")))) return DataFormat.Alpaca;
        return null;
    }

    public static DataFormat? Detect(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object ? Detect(record.EnumerateObject().Select(p => p.Name).ToList()) : null;

    public const string KnownShapes =
        "alpaca (instruction, input, output; or prompt + response/completion), sharegpt (conversations), " +
        "openai (messages), preference (chosen + rejected, with an optional prompt)";
}
