namespace Pipeline.Orchestration.Stages;

/// <summary>What a replica found when a stage command reached it.</summary>
public enum StageClaimResult
{
    /// <summary>This replica now owns the stage's current slice.</summary>
    Claimed,
    /// <summary>The stage already finished; its result is re-published, the work not repeated.</summary>
    AlreadyFinished,
    /// <summary>The command is for an older slice, or another live replica is running it: dropped.</summary>
    Duplicate,
}
