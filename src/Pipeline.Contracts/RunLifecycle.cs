namespace Pipeline.Contracts;

/// <summary>Start a run. The config has been validated by the sender and is validated again on receipt.</summary>
public sealed record StartPipelineRun
{
    public required Guid RunId { get; init; }
    /// <summary>The run config as YAML text (settings only; inputs are artifact ids or paths).</summary>
    public required string ConfigYaml { get; init; }
}

public sealed record CancelPipelineRun
{
    public required Guid RunId { get; init; }
    public string Reason { get; init; } = "cancelled by user";
}

public sealed record PipelineRunStarted
{
    public required Guid RunId { get; init; }
    public required IReadOnlyList<string> Stages { get; init; }
}

public sealed record PipelineRunCompleted
{
    public required Guid RunId { get; init; }
    public required IReadOnlyDictionary<string, ArtifactRef> Artifacts { get; init; }
}

public sealed record PipelineRunFailed
{
    public required Guid RunId { get; init; }
    public required string Stage { get; init; }
    public required string Reason { get; init; }
}

/// <summary>Broadcast to every stage replica: stop work on this run at the next safe point.</summary>
public sealed record PipelineRunCancelled
{
    public required Guid RunId { get; init; }
    public required string Reason { get; init; }
}
