namespace Pipeline.Training.Loop;

/// <summary>
/// How the caller (a stage worker) takes part in a run: it receives checkpoints to store, may end a slice
/// after one, watches progress, and may hand in a checkpoint to resume from. All optional.
/// </summary>
public sealed record TrainingHooks
{
    /// <summary>
    /// Called with a checkpoint folder and its step, every checkpoint_every steps and at the end. The folder
    /// belongs to the loop and is deleted once the returned task completes: upload or copy it inside the callback.
    /// Without this hook no checkpoint is written.
    /// </summary>
    public Func<string, int, Task>? CheckpointSaved { get; init; }

    /// <summary>
    /// Asked after each checkpoint that is not the last: true ends the run there with
    /// <see cref="TrainingOutcome.Yielded"/>, so a long run can proceed in slices (e.g. within a broker's
    /// acknowledgement timeout) and continue from that checkpoint.
    /// </summary>
    public Func<bool>? ShouldYield { get; init; }

    /// <summary>Called after every optimizer step.</summary>
    public Action<TrainingProgress>? Progress { get; init; }

    /// <summary>Called after every evaluation.</summary>
    public Action<EvaluationRecord>? Evaluated { get; init; }

    /// <summary>A checkpoint folder written by an earlier slice of the same run to continue from; null starts afresh.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Where checkpoints are staged before <see cref="CheckpointSaved"/>; null: a new temporary folder.</summary>
    public string? WorkingDirectory { get; init; }
}
