namespace Pipeline.Contracts;

/// <summary>What every stage's completed event carries.</summary>
public interface IStageCompleted
{
    Guid RunId { get; }
    string Stage { get; }

    /// <summary>Output artifacts by role; the run hands them to later stages.</summary>
    IReadOnlyDictionary<string, ArtifactRef> Outputs { get; }

    /// <summary>Small scalar metrics (rows out, validation loss, accuracy, ...).</summary>
    IReadOnlyDictionary<string, double> Metrics { get; }
}

public sealed record BaseModelPretrained : IStageCompleted
{
    public required Guid RunId { get; init; }
    public string Stage { get; init; } = StageNames.Pretrain;
    public required IReadOnlyDictionary<string, ArtifactRef> Outputs { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

public sealed record DatasetPrepared : IStageCompleted
{
    public required Guid RunId { get; init; }
    public string Stage { get; init; } = StageNames.Ingest;
    public required IReadOnlyDictionary<string, ArtifactRef> Outputs { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

public sealed record SyntheticDataGenerated : IStageCompleted
{
    public required Guid RunId { get; init; }
    public string Stage { get; init; } = StageNames.Synthesize;
    public required IReadOnlyDictionary<string, ArtifactRef> Outputs { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

public sealed record SftCompleted : IStageCompleted
{
    public required Guid RunId { get; init; }
    public string Stage { get; init; } = StageNames.Sft;
    public required IReadOnlyDictionary<string, ArtifactRef> Outputs { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

public sealed record FeedbackCollected : IStageCompleted
{
    public required Guid RunId { get; init; }
    public string Stage { get; init; } = StageNames.Feedback;
    public required IReadOnlyDictionary<string, ArtifactRef> Outputs { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

public sealed record RewardModelTrained : IStageCompleted
{
    public required Guid RunId { get; init; }
    public string Stage { get; init; } = StageNames.RewardModel;
    public required IReadOnlyDictionary<string, ArtifactRef> Outputs { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

/// <summary>Published by PPO, GRPO and DPO; <see cref="Stage"/> says which.</summary>
public sealed record PolicyOptimized : IStageCompleted
{
    public required Guid RunId { get; init; }
    public required string Stage { get; init; }
    public required IReadOnlyDictionary<string, ArtifactRef> Outputs { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

public sealed record EvaluationCompleted : IStageCompleted
{
    public required Guid RunId { get; init; }
    public string Stage { get; init; } = StageNames.Evaluate;
    public required IReadOnlyDictionary<string, ArtifactRef> Outputs { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}

/// <summary>A replica took the stage (first time or after a crash); <see cref="ResumedFromCheckpoint"/> says which.</summary>
public sealed record StageStarted
{
    public required Guid RunId { get; init; }
    public required string Stage { get; init; }
    public required int Slice { get; init; }
    public required string Worker { get; init; }
    public bool ResumedFromCheckpoint { get; init; }
    /// <summary>The replica whose lease ran out when this one took the stage over (it crashed or hung); null otherwise.</summary>
    public string? TookOverFrom { get; init; }
}

/// <summary>Progress of a running stage; published at most a few times a second.</summary>
public sealed record StageProgressed
{
    public required Guid RunId { get; init; }
    public required string Stage { get; init; }
    /// <summary>Fraction done in [0, 1].</summary>
    public required double Fraction { get; init; }
    public long Step { get; init; }
    public long TotalSteps { get; init; }
    public string? Message { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}

public sealed record StageFailed
{
    public required Guid RunId { get; init; }
    public required string Stage { get; init; }
    /// <summary>For people: what went wrong, where, and what to do.</summary>
    public required string Reason { get; init; }
}

public sealed record StageCancelled
{
    public required Guid RunId { get; init; }
    public required string Stage { get; init; }
}
