using Pipeline.Contracts;

namespace Pipeline.Orchestration.Stages;

public enum StageRecordStatus { Running, Completed, Failed, Cancelled }

/// <summary>
/// The durable record of one (RunId, stage): who owns it, which slice is current, the latest checkpoint
/// and, once finished, the result. It is what makes stage handlers idempotent: a duplicate command finds
/// the stage finished (and its result re-published) or owned by a live replica (and is dropped).
/// </summary>
public sealed record StageRecord
{
    public required Guid RunId { get; init; }
    public required string Stage { get; init; }
    public StageRecordStatus Status { get; init; } = StageRecordStatus.Running;
    public int Slice { get; init; }
    public string? Owner { get; init; }
    public DateTimeOffset LeaseUntil { get; init; }
    /// <summary>How many times a replica took this stage (including takeovers after crashes).</summary>
    public int Attempts { get; init; }
    public string? LatestCheckpoint { get; init; }
    public int CheckpointCount { get; init; }
    public Dictionary<string, ArtifactRef> Outputs { get; init; } = [];
    public Dictionary<string, double> Metrics { get; init; } = [];
    public string? FailureReason { get; init; }

    public bool IsFinished => Status != StageRecordStatus.Running;

    public static string Id(Guid runId, string stage) => $"{runId:N}/{stage}";
}
