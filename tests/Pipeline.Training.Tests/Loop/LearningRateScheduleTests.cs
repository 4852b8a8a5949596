using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Tests.Loop;

public sealed class LearningRateScheduleTests
{
    // 10 steps, 2 of warm-up, peak 1: warm-up 0, ½; then decay over 8 steps.
    [Theory]
    [InlineData(LearningRateScheduler.Cosine, 0, 0.0)]
    [InlineData(LearningRateScheduler.Cosine, 1, 0.5)]
    [InlineData(LearningRateScheduler.Cosine, 2, 1.0)]
    [InlineData(LearningRateScheduler.Cosine, 4, 0.8535533905932737)]   // ½(1 + cos(π/4))
    [InlineData(LearningRateScheduler.Cosine, 6, 0.5)]                  // ½(1 + cos(π/2))
    [InlineData(LearningRateScheduler.Cosine, 10, 0.0)]
    [InlineData(LearningRateScheduler.Linear, 1, 0.5)]
    [InlineData(LearningRateScheduler.Linear, 2, 1.0)]
    [InlineData(LearningRateScheduler.Linear, 6, 0.5)]                  // (10 − 6) / 8
    [InlineData(LearningRateScheduler.Linear, 9, 0.125)]
    [InlineData(LearningRateScheduler.Linear, 12, 0.0)]                 // never negative
    [InlineData(LearningRateScheduler.Constant, 1, 0.5)]
    [InlineData(LearningRateScheduler.Constant, 7, 1.0)]
    public void Multiplier_matches_hand_values(LearningRateScheduler kind, int step, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.Multiplier(step, totalSteps: 10, warmupSteps: 2, kind), 12);

    [Fact]
    public void Without_warm_up_the_first_step_runs_at_the_peak() =>
        Assert.Equal(3e-4, LearningRateSchedule.At(0, 100, 0, LearningRateScheduler.Cosine, 3e-4), 15);

    [Theory]
    [InlineData(0.03, 100, 3)]
    [InlineData(0.03, 10, 1)]     // ⌈0.3⌉
    [InlineData(0.0, 10, 0)]
    [InlineData(0.5, 7, 4)]       // ⌈3.5⌉
    public void Warm_up_steps_round_up(double ratio, int total, int expected) =>
        Assert.Equal(expected, LearningRateSchedule.WarmupSteps(ratio, total));
}
