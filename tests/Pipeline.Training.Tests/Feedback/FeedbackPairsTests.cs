using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Training.Feedback;

namespace Pipeline.Training.Tests.Feedback;

public sealed class FeedbackPairsTests
{
    private static readonly string[] Texts = ["a", "b", "c", "d"];

    [Fact]
    public void Best_versus_worst_takes_the_extremes_and_the_first_of_equals()
    {
        // scores 0.5, 0.9, 0.1, 0.9: best is index 1 (first of the two 0.9s), worst index 2
        Assert.Equal([(1, 2)], FeedbackPairs.Select([0.5, 0.9, 0.1, 0.9], Texts, FeedbackPairing.BestVsWorst, 0));
    }

    [Fact]
    public void Ties_and_identical_texts_make_no_pair()
    {
        Assert.Empty(FeedbackPairs.Select([0.5, 0.5, 0.5, 0.5], Texts, FeedbackPairing.BestVsWorst, 0));
        Assert.Empty(FeedbackPairs.Select([0.9, 0.1], ["same", "same"], FeedbackPairing.BestVsWorst, 0));
        // a margin of 0.4 needs a difference above 0.4: 0.9 − 0.5 = 0.4 is not enough
        Assert.Empty(FeedbackPairs.Select([0.9, 0.5], ["x", "y"], FeedbackPairing.BestVsWorst, 0.4));
    }

    [Fact]
    public void All_pairs_keeps_every_ordered_pair_above_the_margin()
    {
        // scores 0.2, 0.8, 0.5, 0.8 with margin 0.25: 1>0 (0.6), 1>2 (0.3), 3>0 (0.6), 3>2 (0.3); 2>0 is 0.3 too; 1 vs 3 tie
        Assert.Equal([(1, 0), (1, 2), (2, 0), (3, 0), (3, 2)], FeedbackPairs.Select([0.2, 0.8, 0.5, 0.8], Texts, FeedbackPairing.AllPairs, 0.25));
    }

    [Fact]
    public void An_unparsed_verdict_takes_no_part()
    {
        Assert.Equal([(2, 1)], FeedbackPairs.Select([double.NaN, 0.1, 0.7, double.NaN], Texts, FeedbackPairing.BestVsWorst, 0));
        Assert.Equal([(2, 1)], FeedbackPairs.Select([double.NaN, 0.1, 0.7, double.NaN], Texts, FeedbackPairing.AllPairs, 0));
        Assert.Empty(FeedbackPairs.Select([double.NaN, double.NaN], ["x", "y"], FeedbackPairing.BestVsWorst, 0));
    }

    [Theory]
    [InlineData("7", true, 7)]
    [InlineData(" 10 ", true, 10)]
    [InlineData("Score: 3.", true, 3)]
    [InlineData("score=9", true, 9)]
    [InlineData("11", false, 0)]
    [InlineData("0", false, 0)]
    [InlineData("7/10", false, 0)]
    [InlineData("I would say 8", false, 0)]
    [InlineData("", false, 0)]
    public void Llm_verdicts_are_parsed_strictly(string answer, bool parses, int score)
    {
        Assert.Equal(parses, Pipeline.Training.Alignment.Rewards.LlmJudge.TryParse(answer, 1, 10, out var parsed));
        if (parses) Assert.Equal(score, parsed);
    }
}
