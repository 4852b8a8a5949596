namespace Pipeline.Training.Loop;

/// <summary>Why <see cref="TrainingLoop{TExample}.RunAsync"/> returned.</summary>
public enum TrainingOutcome
{
    /// <summary>Every step ran.</summary>
    Completed,
    /// <summary>The validation loss stopped improving for early_stopping_patience evaluations.</summary>
    EarlyStopped,
    /// <summary>The caller asked to stop after a checkpoint (a slice of a long run); resume from that checkpoint.</summary>
    Yielded,
}

/// <summary>The run so far, including the history carried over from the checkpoint it resumed from.</summary>
public sealed record TrainingResult(
    TrainingOutcome Outcome,
    int Step,
    int TotalSteps,
    IReadOnlyList<StepRecord> Steps,
    IReadOnlyList<EvaluationRecord> Evaluations,
    long TokensSeen,
    double TrainingSeconds)
{
    /// <summary>Throughput over all slices (evaluation and checkpoint time excluded).</summary>
    public double TokensPerSecond => TrainingSeconds > 0 ? TokensSeen / TrainingSeconds : 0;

    /// <summary>Mean step loss over the whole run (transformers' train_loss).</summary>
    public double MeanTrainLoss => Steps.Count == 0 ? double.NaN : Steps.Average(s => s.Loss);

    /// <summary>The last evaluation's metrics, or null when there was no validation data.</summary>
    public IReadOnlyDictionary<string, double>? FinalEvaluation => Evaluations.Count == 0 ? null : Evaluations[^1].Metrics;
}
