using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Cleaning.Pii;
using Pipeline.Cleaning.Quality;

namespace Pipeline.Cleaning;

/// <summary>Options of the in-memory <see cref="CleaningPipeline"/>.</summary>
public sealed record CleaningPipelineOptions
{
    public QualityOptions Quality { get; init; } = new();
    public PiiOptions Pii { get; init; } = new();
    public NearDuplicateOptions NearDuplicates { get; init; } = new();

    /// <summary>Replace PII by placeholders. Default true.</summary>
    public bool ScrubPii { get; init; } = true;

    /// <summary>Drop near-duplicates (all but one per cluster). Default true.</summary>
    public bool RemoveNearDuplicates { get; init; } = true;

    /// <summary>Workers for the per-example steps; −1 (default) uses all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
