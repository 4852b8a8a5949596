using Pipeline.Contracts;

namespace Pipeline.Orchestration.Runs;

public enum RunState { Running, Completed, Failed, Cancelled }

public enum StageState { Pending, Running, Completed, Failed, Cancelled }

/// <summary>What a person asks about a stage: where it is, how far, and why it failed.</summary>
public sealed record StageStatus
{
    public required string Stage { get; init; }
    public StageState State { get; init; } = StageState.Pending;
    public double Fraction { get; init; }
    public long Step { get; init; }
    public long TotalSteps { get; init; }
    public string? Message { get; init; }
    public Dictionary<string, double> Metrics { get; init; } = [];
    /// <summary>Deliveries that ran work for this stage (one per slice, plus takeovers after a crash).</summary>
    public int Attempts { get; init; }
    /// <summary>Slices so far: a long stage checkpoints and continues in a new delivery every few minutes.</summary>
    public int Slices { get; init; }
    /// <summary>Times a replica took the stage over from one that stopped responding.</summary>
    public int TakeOvers { get; init; }
    public bool ResumedFromCheckpoint { get; init; }
    public DateTimeOffset? ProgressAt { get; init; }
    public string? Worker { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? FailureReason { get; init; }
    public Dictionary<string, ArtifactRef> Outputs { get; init; } = [];
}

/// <summary>
/// The durable state of one run, the process manager's memory. Transitions are pure functions
/// (<see cref="RunTransitions"/>) so they can be retried under optimistic concurrency and unit-tested.
/// </summary>
public sealed record RunRecord
{
    public required Guid RunId { get; init; }
    public required string Name { get; init; }
    public required string ConfigYaml { get; init; }
    public RunState State { get; init; } = RunState.Running;
    public required List<StageStatus> Stages { get; init; }
    /// <summary>The latest artifact per role: config inputs first, then each completed stage's outputs.</summary>
    public Dictionary<string, ArtifactRef> Artifacts { get; init; } = [];
    public string? FailedStage { get; init; }
    public string? FailureReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public StageStatus? Current => Stages.FirstOrDefault(s => s.State is StageState.Running);

    public StageStatus? Find(string stage) => Stages.FirstOrDefault(s => s.Stage == stage);
}
