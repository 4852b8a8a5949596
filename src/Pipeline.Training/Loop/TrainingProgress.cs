namespace Pipeline.Training.Loop;

/// <summary>Reported after every optimizer step.</summary>
/// <param name="Step">Optimizer steps completed (1 after the first).</param>
/// <param name="TotalSteps">Steps the whole run will take.</param>
/// <param name="Epoch">Zero-based epoch the step's data came from.</param>
/// <param name="Loss">Mean loss of the step over its loss items.</param>
/// <param name="LearningRate">Learning rate the step used.</param>
/// <param name="GradientNorm">Global L2 norm of the gradient before clipping.</param>
/// <param name="TokensPerSecond">Training throughput of this slice so far (evaluation and checkpoints excluded).</param>
/// <param name="Remaining">Estimated time to the last step at this slice's pace.</param>
/// <param name="Metrics">The step's further metrics by hierarchical name (the alignment stages report objective/kl, ...), or null.</param>
public sealed record TrainingProgress(
    int Step,
    int TotalSteps,
    int Epoch,
    double Loss,
    double LearningRate,
    double GradientNorm,
    double TokensPerSecond,
    TimeSpan Remaining,
    IReadOnlyDictionary<string, double>? Metrics = null);

/// <summary>One optimizer step as kept in the run's history (and in checkpoints).</summary>
public sealed record StepRecord(int Step, double Loss, double LearningRate, double GradientNorm, long Tokens);

/// <summary>One evaluation: after which step, and the task's metrics.</summary>
public sealed record EvaluationRecord(int Step, IReadOnlyDictionary<string, double> Metrics);
