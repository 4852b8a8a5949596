using Pipeline.Cleaning.Quality;
using static Pipeline.Cleaning.Tests.Quality.Samples;

namespace Pipeline.Cleaning.Tests.Quality;

public sealed class QualityFilterChainTests
{
    [Fact]
    public void A_good_example_passes_every_filter()
    {
        var chain = new QualityFilterChain();

        Assert.Equal(10, chain.Filters.Count);
        Assert.True(chain.Check(Chat("How do I reverse a list in Python?", "Use reversed(items) or items[::-1] for a reversed copy.")).Keep);
    }

    [Fact]
    public void The_most_specific_reason_wins()
    {
        var chain = new QualityFilterChain();

        Assert.Equal(DropReasons.EmptyResponse, chain.Check(Chat("Hello there, how are you?", "")).Reason);
    }

    [Fact]
    public void Disabled_filters_do_not_run()
    {
        var chain = new QualityFilterChain(new QualityOptions { DisabledFilters = [DropReasons.RefusalOnly] });
        var refusal = Chat("How do I pick a lock?", "I'm sorry, but I can't help with that.");

        Assert.True(chain.Check(refusal).Keep);
        Assert.Equal(DropReasons.RefusalOnly, new QualityFilterChain().Check(refusal).Reason);
    }

    [Fact]
    public void Options_errors_name_the_option_and_the_allowed_values()
    {
        var fraction = Assert.Throws<InvalidCleaningOptionException>(() => new QualityOptions { MaxRepeatedNGramFraction = 1.5 }.Validate());
        Assert.Equal("QualityOptions.MaxRepeatedNGramFraction", fraction.Option);
        Assert.Contains("(0, 1]", fraction.Message);

        var script = Assert.Throws<InvalidCleaningOptionException>(() => new QualityOptions { AllowedScripts = ["Latin", "Klingon"] }.Validate());
        Assert.Equal("QualityOptions.AllowedScripts", script.Option);
        Assert.Contains("\"Klingon\"", script.Message);
        Assert.Contains("Cyrillic", script.Message);

        var tokens = Assert.Throws<InvalidCleaningOptionException>(() => new QualityFilterChain(new QualityOptions { MinTokens = 10, MaxTokens = 5 }));
        Assert.Equal("QualityOptions.MaxTokens", tokens.Option);

        var reason = Assert.Throws<InvalidCleaningOptionException>(() => new QualityOptions { DisabledFilters = ["too_short"] }.Validate());
        Assert.Contains("token_length", reason.Message);
    }
}
