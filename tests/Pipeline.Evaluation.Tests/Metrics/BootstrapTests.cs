using Pipeline.Evaluation.Statistics;

namespace Pipeline.Evaluation.Tests.Metrics;

public sealed class BootstrapTests
{
    [Fact]
    public void Two_values_give_the_full_range_because_a_quarter_of_resamples_repeat_one_of_them()
    {
        // Resample means of {0, 1}: 0 (p = ¼), ½ (p = ½), 1 (p = ¼); the 2.5th and 97.5th percentiles are the ends.
        var estimate = Bootstrap.Mean([0.0, 1.0], seed: 7);
        Assert.Equal(0.5, estimate.Value);
        Assert.Equal(0.0, estimate.Low);
        Assert.Equal(1.0, estimate.High);
        Assert.Equal(2, estimate.Count);
    }

    [Fact]
    public void A_constant_has_a_zero_width_interval()
    {
        var estimate = Bootstrap.Mean([0.7, 0.7, 0.7, 0.7]);
        Assert.Equal(0.7, estimate.Value, 12);
        Assert.Equal(0.7, estimate.Low, 12);
        Assert.Equal(0.7, estimate.High, 12);
    }

    [Fact]
    public void A_fair_coin_of_400_flips_has_the_normal_approximations_interval()
    {
        // p̂ = ½, standard error √(¼/400) = 0.025: the 95% interval is ½ ± 1.96·0.025 = [0.451, 0.549].
        var flips = Enumerable.Range(0, 400).Select(i => (double)(i % 2)).ToArray();
        var estimate = Bootstrap.Mean(flips, resamples: 4000, seed: 11);
        Assert.Equal(0.5, estimate.Value, 12);
        Assert.InRange(estimate.Low, 0.441, 0.461);
        Assert.InRange(estimate.High, 0.539, 0.559);
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval_and_another_seed_a_different_one()
    {
        var values = Enumerable.Range(0, 50).Select(i => Math.Sin(i) * 3).ToArray();
        var a = Bootstrap.Mean(values, seed: 5);
        var b = Bootstrap.Mean(values, seed: 5);
        var c = Bootstrap.Mean(values, seed: 6);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Low, c.Low);
    }

    [Fact]
    public void Unscored_values_are_left_out_and_nothing_scored_is_missing()
    {
        var estimate = Bootstrap.Mean([1.0, double.NaN, 3.0]);
        Assert.Equal(2.0, estimate.Value, 12);
        Assert.Equal(2, estimate.Count);
        Assert.True(double.IsNaN(Bootstrap.Mean([double.NaN]).Value));
    }

    [Fact]
    public void Quantiles_interpolate_between_order_statistics()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(1.75, Bootstrap.Quantile(sorted, 0.25), 12);
        Assert.Equal(2.5, Bootstrap.Quantile(sorted, 0.5), 12);
        Assert.Equal(4, Bootstrap.Quantile(sorted, 1), 12);
    }
}
