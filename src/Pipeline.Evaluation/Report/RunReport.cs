using Pipeline.Contracts;
using Pipeline.Evaluation.Prompts;
using Pipeline.Evaluation.Results;

namespace Pipeline.Evaluation.Report;

/// <summary>One artifact of the run's lineage, as its manifest records it.</summary>
public sealed record LineageArtifact(string Id, ArtifactKind Kind, string ProducerStage, DateTimeOffset CreatedAt, string ConfigHash,
    IReadOnlyList<string> Parents, IReadOnlyList<LineageFile> Files)
{
    public long TotalSize => Files.Sum(f => f.Size);
}

public sealed record LineageFile(string Path, long Size, string Sha256);

/// <summary>A dataset's data card: its headline figures and the card itself (Markdown, shown as written).</summary>
public sealed record DataCardSummary(string ArtifactId, IReadOnlyList<KeyValuePair<string, string>> Facts, string? Markdown);

/// <summary>One point of a metric history.</summary>
public readonly record struct MetricPoint(double Step, double Value);

/// <summary>One metric over the steps of a stage.</summary>
public sealed record MetricSeries(string Name, IReadOnlyList<MetricPoint> Points);

/// <summary>A stage's metric history (its metrics.jsonl), where it came from, and every metric in it.</summary>
public sealed record StageHistory(string Stage, string Source, IReadOnlyList<MetricSeries> Series);

/// <summary>Everything the run report shows; rendered by <see cref="HtmlReportWriter"/> and <see cref="MarkdownReportWriter"/>.</summary>
public sealed record RunReport
{
    public required string Title { get; init; }
    public Guid? RunId { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>How the candidates were run (decoding, prompt count, seed), one line each.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    public IReadOnlyList<LineageArtifact> Lineage { get; init; } = [];
    public DataCardSummary? DataCard { get; init; }
    public IReadOnlyList<StageHistory> Histories { get; init; } = [];

    /// <summary>Each stage's completed metrics (from the run record), when the report is made for a whole run.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> StageMetrics { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, double>>();

    public EvaluationSummary? Evaluation { get; init; }
    public IReadOnlyList<EvaluationPrompt> Prompts { get; init; } = [];
    public IReadOnlyList<CandidateAnswers> Candidates { get; init; } = [];

    /// <summary>How many prompts the side-by-side section shows.</summary>
    public int SideBySidePrompts { get; init; } = 8;
}
