using Pipeline.Quickstart.Labeling;

namespace Pipeline.Quickstart.Tests;

public sealed class HouseStyleTests
{
    [Fact]
    public void The_default_weights_sum_to_one_and_cover_every_rule()
    {
        var style = HouseStyle.Default.Validate();
        Assert.Equal(1.0, style.Weights.Values.Sum(), 9);
        Assert.Equal(Enum.GetValues<HouseRule>().Order(), style.Weights.Keys.Order());
    }

    [Fact]
    public void Weights_that_do_not_sum_to_one_are_named()
    {
        var weights = HouseStyle.Default.Weights.ToDictionary();
        weights[HouseRule.Polite] = 0.5;
        var error = Assert.Throws<ArgumentException>(() => new SimulatedLabeler(HouseStyle.Default with { Weights = weights }));
        Assert.Contains("HouseStyle.Weights sum to 1.45", error.Message);
    }

    [Fact]
    public void A_missing_intent_keyword_is_named()
    {
        var keywords = HouseStyle.Default.IntentKeywords.Where(k => k.Key != SupportIntent.Complaint).ToDictionary();
        var error = Assert.Throws<ArgumentException>(() => (HouseStyle.Default with { IntentKeywords = keywords }).Validate());
        Assert.Contains("IntentKeywords has no keyword for complaint", error.Message);
    }

    [Fact]
    public void Word_limits_out_of_order_are_named()
    {
        var error = Assert.Throws<ArgumentException>(() => (HouseStyle.Default with { MinWords = 10, MaxWords = 5 }).Validate());
        Assert.Contains("MinWords (10) and MaxWords (5)", error.Message);
    }
}
