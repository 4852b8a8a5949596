using Pipeline.Contracts;

namespace Pipeline.Orchestration.Stages;

/// <summary>How a slice of stage work ended.</summary>
public abstract record StageOutcome
{
    /// <summary>The stage is done; its outputs fill these roles for later stages.</summary>
    public sealed record Completed(
        IReadOnlyDictionary<string, ArtifactRef> Outputs,
        IReadOnlyDictionary<string, double> Metrics) : StageOutcome;

    /// <summary>A checkpoint was saved and the slice's time is up; continue in a new delivery.</summary>
    public sealed record Yielded : StageOutcome;

    public static StageOutcome Done(IReadOnlyDictionary<string, ArtifactRef> outputs, IReadOnlyDictionary<string, double>? metrics = null) =>
        new Completed(outputs, metrics ?? new Dictionary<string, double>());

    public static StageOutcome Continue() => new Yielded();
}

/// <summary>A failure the worker explains to people; its message becomes the stage's failure reason.</summary>
public sealed class StageFailedException(string reason, Exception? inner = null) : Exception(reason, inner);
