using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Training.Stages.Synthesis;

/// <summary>
/// The data card of a dataset with synthetic rows, written as data_card.json and data_card.md (where the run report
/// looks): the synthetic share, parse failures and drops by reason, the tokens the calls spent and the calls the cache
/// answered. The organic rows' own card (ingest's) follows in the Markdown.
/// </summary>
public sealed record SynthesisCard
{
    public const string JsonFile = "data_card.json";
    public const string MarkdownFile = "data_card.md";

    public required string Generator { get; init; }
    public required string Mode { get; init; }
    public required string RepliesBy { get; init; }
    public int OrganicRows { get; init; }
    public int SyntheticRows { get; init; }
    public int TrainRows { get; init; }
    public int ValidationRows { get; init; }
    public int ReviewRows { get; init; }
    public int Calls { get; init; }
    public int ParseFailures { get; init; }
    public double MaxSyntheticShare { get; init; }

    /// <summary>Synthetic rows / all rows of the written dataset.</summary>
    public double SyntheticShare => OrganicRows + SyntheticRows == 0 ? 0 : (double)SyntheticRows / (OrganicRows + SyntheticRows);

    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheHits { get; init; }
    public SortedDictionary<string, int> ParseFailureCounters { get; init; } = [];
    public SortedDictionary<string, int> DroppedCounters { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Write(string directory, string? organicCardMarkdown)
    {
        File.WriteAllText(Path.Combine(directory, JsonFile), JsonSerializer.Serialize(this, Json) + "\n");
        var md = new StringBuilder();
        md.AppendLine("# Dataset with synthetic rows (self-instruct)").AppendLine();
        md.AppendLine(F($"{Calls:N0} calls to `{Generator}` ({Mode}; replies by {RepliesBy}), each shown a few examples of the dataset and asked for a new one; answers parsed strictly, then cleaned as ingest cleans organic rows."));
        md.AppendLine().AppendLine("| figure | value |").AppendLine("|---|---|");
        md.AppendLine(F($"| rows (organic + synthetic) | {OrganicRows + SyntheticRows:N0} ({OrganicRows:N0} + {SyntheticRows:N0}) |"));
        md.AppendLine(F($"| synthetic share | {SyntheticShare:P1} (cap {MaxSyntheticShare:P0}) |"));
        md.AppendLine(F($"| train / validation rows | {TrainRows:N0} / {ValidationRows:N0} |"));
        if (ReviewRows > 0) md.AppendLine(F($"| messages left for review (review.jsonl) | {ReviewRows:N0} |"));
        md.AppendLine(F($"| answers that did not parse | {ParseFailures:N0} ({(Calls == 0 ? 0 : (double)ParseFailures / Calls):P1}) |"));
        md.AppendLine(F($"| tokens spent (prompt / completion) | {InputTokens:N0} / {OutputTokens:N0} |"));
        md.AppendLine(F($"| calls answered by the cache | {CacheHits:N0} |"));
        Table("Parse failures", ParseFailureCounters);
        Table("Dropped synthetic rows", DroppedCounters);
        md.AppendLine().AppendLine("Every synthetic row carries `\"synthetic\": true` and its `provenance` (generator, mode, sampling settings, call and seed).");
        if (organicCardMarkdown is not null) md.AppendLine().AppendLine("## The organic rows").AppendLine().Append(organicCardMarkdown.Replace("\n# ", "\n### ", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(directory, MarkdownFile), md.ToString());

        void Table(string title, SortedDictionary<string, int> counts)
        {
            if (counts.Count == 0) return;
            md.AppendLine().AppendLine(F($"## {title}")).AppendLine().AppendLine("| reason | rows |").AppendLine("|---|---|");
            foreach (var (reason, count) in counts) md.AppendLine(F($"| {reason} | {count:N0} |"));
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
