using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Data.Readers;

namespace Pipeline.Data.Cards;

/// <summary>
/// What ingestion read, dropped and wrote, for a person deciding whether to trust the dataset: rows per input, rows
/// out per split, drops and bad rows per reason with a few examples each (file:line), a length histogram, free
/// counters other filters add to ("pii.email"), and extra tables (<see cref="Sections"/>). Written as
/// data_card.json and data_card.md; it is also the running tally a checkpoint carries.
/// </summary>
public sealed class DataCard
{
    public DataCardSettings? Settings { get; set; }

    public List<InputSummary> Inputs { get; set; } = [];

    public long RowsRead { get; set; }

    public long BadRows { get; set; }

    public long DroppedRows { get; set; }

    public long TrainRows { get; set; }

    public long ValidationRows { get; set; }

    public List<ShardSummary> Shards { get; set; } = [];

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public SortedDictionary<string, ReasonSummary> Drops { get; } = new(StringComparer.Ordinal);

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public SortedDictionary<string, ReasonSummary> BadRowReasons { get; } = new(StringComparer.Ordinal);

    public LengthHistogram CharacterLengths { get; set; } = LengthHistogram.ForCharacters();

    public LengthHistogram WhitespaceTokenLengths { get; set; } = LengthHistogram.ForWhitespaceTokens();

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public SortedDictionary<string, long> Counters { get; } = new(StringComparer.Ordinal);

    public List<DataCardSection> Sections { get; set; } = [];

    public void AddCounter(string name, long delta = 1) => Counters[name] = Counters.GetValueOrDefault(name) + delta;

    public void RecordBadRow(RowError error, int maxReported)
    {
        BadRows++;
        var summary = Reason(BadRowReasons, error.Reason);
        summary.Count++;
        if (summary.Examples.Count < maxReported) summary.Examples.Add(new ReportedRow(error.File, error.Line, error.Detail, null));
    }

    public void RecordDrop(string reason, string detail, Example example, int maxExamples)
    {
        DroppedRows++;
        var summary = Reason(Drops, reason);
        summary.Count++;
        if (summary.Examples.Count < maxExamples)
            summary.Examples.Add(new ReportedRow(example.Source?.File ?? "", example.Source?.Line ?? 0, detail, Excerpt.Of(example)));
    }

    /// <summary>As <see cref="RecordDrop(string, string, Example, int)"/>, reading the example only when it will be cited.</summary>
    public void RecordDrop(string reason, string detail, Func<Example> example, int maxExamples)
    {
        if (Drops.TryGetValue(reason, out var summary) && summary.Examples.Count >= maxExamples)
        {
            DroppedRows++;
            summary.Count++;
            return;
        }
        RecordDrop(reason, detail, example(), maxExamples);
    }

    public void RecordKept(Example example)
    {
        var (characters, tokens) = KeptLengths(example);
        RecordKept(characters, tokens);
    }

    /// <summary>Records a kept example by its lengths (sharded ingestion measures them where the text is).</summary>
    public void RecordKept(long characters, long tokens)
    {
        CharacterLengths.Add(characters);
        WhitespaceTokenLengths.Add(tokens);
    }

    /// <summary>Characters and whitespace tokens of all of an example's texts: what the length histograms count.</summary>
    public static (long Characters, long Tokens) KeptLengths(Example example)
    {
        long characters = 0, tokens = 0;
        foreach (var text in example.Messages.Select(m => m.Content).Append(example.Chosen).Append(example.Rejected))
        {
            if (text is null) continue;
            characters += text.Length;
            tokens += WhitespaceTokens(text);
        }
        return (characters, tokens);
    }

    private static ReasonSummary Reason(SortedDictionary<string, ReasonSummary> reasons, string reason)
    {
        if (!reasons.TryGetValue(reason, out var summary)) reasons[reason] = summary = new ReasonSummary();
        return summary;
    }

    public static long WhitespaceTokens(string text)
    {
        long count = 0;
        bool inToken = false;
        foreach (char c in text)
        {
            bool space = char.IsWhiteSpace(c);
            if (!space && !inToken) count++;
            inToken = !space;
        }
        return count;
    }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static DataCard FromJson(string json) =>
        JsonSerializer.Deserialize<DataCard>(json, JsonOptions) ?? throw new JsonException("A data card cannot be null.");

    /// <summary>A deep copy (checkpoints hold one, while the run goes on changing its own).</summary>
    public DataCard Clone() => FromJson(ToJson());
}

public sealed record DataCardSettings(ulong Seed, double ValidationFraction, int ShardSize, IReadOnlyList<string> Filters);

/// <summary>One input file's tally. <see cref="Kept"/> counts its rows that made it into a shard.</summary>
public sealed class InputSummary
{
    public required string Path { get; init; }

    public required string Format { get; init; }

    public long RowsRead { get; set; }

    public long BadRows { get; set; }

    public long Dropped { get; set; }

    public long Kept { get; set; }
}

public sealed record ShardSummary(string Path, string Split, long Rows);

/// <summary>How many rows had this reason, and the first few of them.</summary>
public sealed class ReasonSummary
{
    public long Count { get; set; }

    public List<ReportedRow> Examples { get; set; } = [];
}

/// <summary>A row cited in the data card: where it was, why, and (for drops) a short excerpt of its text.</summary>
public sealed record ReportedRow(string File, long Line, string Detail, string? Excerpt);

/// <summary>An extra table for the data card (a filter's breakdown, say).</summary>
public sealed record DataCardSection(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, string? Note = null);
