using Pipeline.Training.Loop;

namespace Pipeline.Training.Checkpoints;

/// <summary>
/// The loop's position and history, written as trainer_state.json in every checkpoint. The learning-rate
/// schedule is a pure function of <see cref="Step"/>, and the data order a pure function of (seed, epoch),
/// so together with the weight, optimizer and RNG files this is everything a resumed run needs.
/// </summary>
public sealed record TrainingState
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Optimizer steps completed.</summary>
    public required int Step { get; init; }

    public required int TotalSteps { get; init; }

    /// <summary>Epoch of the next micro-batch.</summary>
    public required int Epoch { get; init; }

    /// <summary>Index of the next micro-batch within <see cref="Epoch"/>'s order.</summary>
    public required int MicroBatch { get; init; }

    // What the run was started with; a resume must match, or the data position would mean something else.
    public required long Seed { get; init; }
    public required int TrainExamples { get; init; }
    public required int BatchSize { get; init; }
    public required int GradientAccumulationSteps { get; init; }

    public required double BestEvalLoss { get; init; }
    public required int EvaluationsWithoutImprovement { get; init; }

    public required long TokensSeen { get; init; }
    public required double TrainingSeconds { get; init; }

    public required IReadOnlyList<StepRecord> Steps { get; init; }
    public required IReadOnlyList<EvaluationRecord> Evaluations { get; init; }
}
