using Pipeline.Configuration;
using Pipeline.Configuration.Training;

namespace Pipeline.Training.Loop;

/// <summary>
/// Linear warm-up, then cosine, linear or no decay: the schedules of transformers'
/// <c>get_{cosine,linear,constant}_schedule_with_warmup</c>, as pure functions of the step so a resumed run
/// needs no scheduler state beyond the step count.
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>Warm-up steps for a share of the run: ⌈ratio · total⌉, as transformers rounds it.</summary>
    public static int WarmupSteps(double warmupRatio, int totalSteps)
    {
        if (warmupRatio is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(warmupRatio), warmupRatio, "The warm-up ratio must lie in [0, 1).");
        return (int)Math.Ceiling(warmupRatio * totalSteps);
    }

    /// <summary>
    /// The multiplier of the peak learning rate for the optimizer step that has <paramref name="step"/> steps
    /// before it (0 for the first step, so with warm-up the first step runs at 0 exactly as in transformers).
    /// Warm-up: step / warmup. After it, with progress p = (step − warmup) / (total − warmup):
    /// cosine ½(1 + cos πp), linear (total − step) / (total − warmup), constant 1; never below 0.
    /// </summary>
    public static double Multiplier(int step, int totalSteps, int warmupSteps, LearningRateScheduler kind)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "The step count cannot be negative.");
        if (step < warmupSteps) return (double)step / Math.Max(1, warmupSteps);
        var decaySteps = Math.Max(1, totalSteps - warmupSteps);
        return kind switch
        {
            LearningRateScheduler.Constant => 1.0,
            LearningRateScheduler.Linear => Math.Max(0.0, (double)(totalSteps - step) / decaySteps),
            LearningRateScheduler.Cosine => Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * (step - warmupSteps) / decaySteps))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown learning-rate schedule."),
        };
    }

    /// <summary>The learning rate of that step: <paramref name="peak"/> × <see cref="Multiplier"/>.</summary>
    public static double At(int step, int totalSteps, int warmupSteps, LearningRateScheduler kind, double peak) =>
        peak * Multiplier(step, totalSteps, warmupSteps, kind);
}
