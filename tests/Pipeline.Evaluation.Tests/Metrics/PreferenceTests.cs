using Pipeline.Evaluation.Metrics;

namespace Pipeline.Evaluation.Tests.Metrics;

public sealed class PreferenceTests
{
    [Fact]
    public void Ties_count_half()
    {
        var outcomes = Preference.Outcomes([1.0, 0.5, 0.2, 0.7, 0.9], [0.5, 0.5, 0.9, 0.7, 0.1]);
        Assert.Equal([1.0, 0.5, 0.0, 0.5, 1.0], outcomes);
        Assert.Equal(3.0 / 5, Preference.WinRate(outcomes), 12);
    }

    [Fact]
    public void Candidates_must_answer_the_same_prompts()
    {
        var error = Assert.Throws<ArgumentException>(() => Preference.Outcomes([1.0], [1.0, 2.0]));
        Assert.Contains("same prompts", error.Message);
    }

    [Fact]
    public void When_length_alone_explains_the_preference_the_length_controlled_win_rate_is_half()
    {
        // The judge prefers the longer reply every time; the candidate is longer on 6 of 8 prompts: raw win rate 75%.
        double[] differences = [1, 2, 3, 4, 5, 6, -1, -2];
        var outcomes = differences.Select(d => d > 0 ? 1.0 : 0.0).ToArray();
        Assert.Equal(0.75, Preference.WinRate(outcomes));
        Assert.InRange(LengthControlledWinRate.Compute(outcomes, differences), 0.4, 0.6);
    }

    [Fact]
    public void Symmetric_length_preference_gives_exactly_half()
    {
        double[] differences = [-3, -2, -1, 1, 2, 3];
        var outcomes = differences.Select(d => d > 0 ? 1.0 : 0.0).ToArray();
        Assert.Equal(0.5, LengthControlledWinRate.Compute(outcomes, differences), 9);
    }

    [Fact]
    public void At_equal_length_the_win_rate_is_the_plain_one_up_to_the_small_intercept_ridge()
    {
        // All differences 0: σ(a) solves 8(0.75 − σ(a)) = 0.01·a, so σ(a) = 0.75 − 0.00125·ln 3 ≈ 0.7486.
        double[] outcomes = [1, 1, 1, 1, 1, 1, 0, 0];
        var lc = LengthControlledWinRate.Compute(outcomes, new double[8]);
        Assert.Equal(0.7486, lc, 3);
    }

    [Fact]
    public void A_candidate_that_wins_whether_shorter_or_longer_keeps_a_high_length_controlled_win_rate()
    {
        double[] differences = [-5, -3, -1, 0, 1, 3, 5, -2, 2, 4];
        double[] outcomes = [1, 1, 1, 1, 1, 1, 1, 1, 0.5, 0];
        Assert.True(LengthControlledWinRate.Compute(outcomes, differences) > 0.8);
    }

    [Fact]
    public void Ties_at_equal_length_give_half()
    {
        Assert.Equal(0.5, LengthControlledWinRate.Compute([0.5, 0.5, 0.5], [0.0, 0.0, 0.0]), 9);
    }
}
