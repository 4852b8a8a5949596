using Pipeline.Artifacts;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Stages;

/// <summary>
/// The trainer's hooks wired to the stage runtime: checkpoints become checkpoint artifacts, the slice
/// deadline ends a slice after a checkpoint, progress becomes StageProgressed events and /metrics gauges,
/// and a stage taken over by another replica resumes from the latest checkpoint.
/// </summary>
internal static class TrainingStageBridge
{
    /// <summary>The hooks, and what this slice learns about itself (the step it resumed at).</summary>
    public static async Task<TrainingSlice> SliceAsync(StageContext context, CancellationToken ct)
    {
        var slice = new TrainingSlice();
        string? resumeFrom = null;
        if (context.Checkpoints.LatestId is { } latest)
        {
            resumeFrom = Path.Combine(context.ScratchDirectory, "resume");
            await context.Artifacts.DownloadAsync(latest, resumeFrom, ct).ConfigureAwait(false);
        }
        // Evaluations arrive between steps; they are reported at the last step's position.
        (double Fraction, int Step, int Total) last = (0, 0, 0);
        slice.Hooks = new TrainingHooks
        {
            ResumeFrom = resumeFrom,
            WorkingDirectory = Path.Combine(context.ScratchDirectory, "checkpoints"),
            CheckpointSaved = (folder, _) => context.Checkpoints.SaveAsync(w => w.AddFolderAsync(folder, ct), ct),
            ShouldYield = () => context.ShouldYield,
            Progress = p =>
            {
                if (resumeFrom is not null) slice.ResumedAtStep ??= p.Step - 1;
                ReportStep(p);
            },
            Evaluated = e => context.Progress.Report(last.Fraction, last.Step, last.Total, $"evaluated after step {e.Step}", e.Metrics),
        };
        return slice;

        void ReportStep(TrainingProgress p) =>
            context.Progress.Report((last = ((double)p.Step / Math.Max(1, p.TotalSteps), p.Step, p.TotalSteps)).Fraction, p.Step, p.TotalSteps,
                $"step {p.Step}/{p.TotalSteps}, loss {p.Loss:0.000}, {p.TokensPerSecond:0} tok/s, ETA {p.Remaining:hh\\:mm\\:ss}",
                StepMetrics(p));

        static Dictionary<string, double> StepMetrics(TrainingProgress p)
        {
            var metrics = new Dictionary<string, double>
            {
                [TrainingMetricNames.Loss] = p.Loss,
                [TrainingMetricNames.LearningRate] = p.LearningRate,
                [TrainingMetricNames.GradNorm] = p.GradientNorm,
                [TrainingMetricNames.TokensPerSecond] = p.TokensPerSecond,
                ["eta_seconds"] = p.Remaining.TotalSeconds,
            };
            // The alignment stages add objective/kl, rewards/*, timing/* ... under their hierarchical names.
            foreach (var (name, value) in p.Metrics ?? new Dictionary<string, double>()) metrics[name] = value;
            return metrics;
        }
    }
}

/// <summary>One slice of a training stage: its hooks, and the checkpoint step it continued from (null when it started fresh).</summary>
internal sealed class TrainingSlice
{
    public TrainingHooks Hooks { get; set; } = new();
    public int? ResumedAtStep { get; set; }

    /// <summary>Adds resumed_at_step to a stage's metrics when this slice continued from a checkpoint.</summary>
    public Dictionary<string, double> Annotate(IReadOnlyDictionary<string, double> metrics)
    {
        var result = new Dictionary<string, double>(metrics);
        if (ResumedAtStep is { } step) result["resumed_at_step"] = step;
        return result;
    }
}

/// <summary>The names trainers report under, as the dashboards and /metrics know them.</summary>
public static class TrainingMetricNames
{
    public const string Loss = "train_loss";
    public const string LearningRate = "train_learning_rate";
    public const string GradNorm = "train_grad_norm";
    public const string TokensPerSecond = "train_tokens_per_second";
    public const string EvalLoss = "eval_loss";
    public const string RewardAccuracy = "reward_accuracy";
}
