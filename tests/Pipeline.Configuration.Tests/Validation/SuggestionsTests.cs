using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Tests.Validation;

public sealed class SuggestionsTests
{
    private static readonly string[] Keys = ["seed", "epochs", "max_steps", "batch_size", "learning_rate", "lr_scheduler", "warmup_ratio"];

    [Theory]
    [InlineData("learnin_rate", "learning_rate")]
    [InlineData("learning_rat", "learning_rate")]
    [InlineData("laerning_rate", "learning_rate")]   // swapped letters
    [InlineData("learningRate", "learning_rate")]    // camelCase
    [InlineData("learning-rate", "learning_rate")]   // kebab-case
    [InlineData("LEARNING_RATE", "learning_rate")]
    [InlineData("epoch", "epochs")]
    [InlineData("sed", "seed")]
    [InlineData("warmup_ration", "warmup_ratio")]
    public void Suggests_the_key_a_typo_came_from(string typo, string expected) =>
        Assert.Equal(expected, Suggestions.Closest(typo, Keys));

    [Theory]
    [InlineData("temperature")]
    [InlineData("lr")]          // short inputs allow only one edit
    [InlineData("xyz")]
    public void Suggests_nothing_when_no_key_is_close(string input) =>
        Assert.Null(Suggestions.Closest(input, Keys));

    [Fact]
    public void Prefers_the_closest_candidate_and_breaks_ties_by_order()
    {
        Assert.Equal("lora", Suggestions.Closest("lorra", ["full", "lora", "qlora", "freeze"]));
        Assert.Equal("k1", Suggestions.Closest("k2", ["k1", "k3"]));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(11, 2)]
    [InlineData(12, 3)]
    [InlineData(24, 6)]
    public void Allows_more_edits_for_longer_inputs(int length, int expected) =>
        Assert.Equal(expected, Suggestions.MaxDistance(length));
}
