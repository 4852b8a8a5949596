using Pipeline.Training.Loop;

namespace Pipeline.Training.Tests.Loop;

public sealed class EarlyStoppingTests
{
    [Fact]
    public void Stops_after_patience_evaluations_without_a_new_best()
    {
        var stopping = new EarlyStopping(Patience: 2).Observe(1.0).Observe(0.8);
        Assert.False(stopping.ShouldStop);
        stopping = stopping.Observe(0.8);       // equal is not better
        Assert.False(stopping.ShouldStop);
        stopping = stopping.Observe(0.9);
        Assert.True(stopping.ShouldStop);
        Assert.Equal(0.8, stopping.BestLoss);
    }

    [Fact]
    public void An_improvement_resets_the_count()
    {
        var stopping = new EarlyStopping(2).Observe(1.0).Observe(1.1).Observe(0.5).Observe(0.6);
        Assert.Equal(1, stopping.EvaluationsWithoutImprovement);
        Assert.False(stopping.ShouldStop);
    }

    [Fact]
    public void Patience_zero_never_stops() =>
        Assert.False(new EarlyStopping(0).Observe(1).Observe(2).Observe(double.NaN).ShouldStop);
}
