using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Training.Feedback.Judges;

namespace Pipeline.Training.Tests.Feedback;

public sealed class PairwiseRankingTests
{
    // Four replies; the judge agreed on 0>1, 0>2, 3>1, 2>1 (0 vs 3 and 2 vs 3 disagreed or did not parse).
    private static readonly (int, int)[] Agreed = [(0, 1), (0, 2), (3, 1), (2, 1)];

    [Fact]
    public void All_pairs_are_exactly_the_agreeing_verdicts()
    {
        var ranked = PairwiseRanking.Rank(4, Agreed, FeedbackPairing.AllPairs);
        Assert.Equal(Agreed, ranked.Pairs);
        // Win shares: 0 won 2 of 2, 1 lost 3, 2 won 1 of 2, 3 won 1 of 1.
        Assert.Equal([1.0, 0.0, 0.5, 1.0], ranked.Scores);
    }

    [Fact]
    public void Best_vs_worst_takes_the_most_and_fewest_net_wins_when_the_judge_compared_them()
    {
        // Net wins: 0 → +2, 1 → −3, 2 → 0, 3 → +1: best 0, worst 1, and 0>1 is an agreed verdict.
        Assert.Equal([(0, 1)], PairwiseRanking.Rank(4, Agreed, FeedbackPairing.BestVsWorst).Pairs);
    }

    [Fact]
    public void Best_vs_worst_infers_nothing_the_judge_did_not_say()
    {
        // 0>1 and 1>2 agreed, 0 vs 2 did not: best 0 (+1), worst 2 (−1), never compared directly → no pair.
        var ranked = PairwiseRanking.Rank(3, [(0, 1), (1, 2)], FeedbackPairing.BestVsWorst);
        Assert.Empty(ranked.Pairs);
        Assert.Equal([1.0, 0.5, 0.0], ranked.Scores);
    }

    [Fact]
    public void A_reply_the_judge_never_ranked_has_no_score_and_no_pair()
    {
        var ranked = PairwiseRanking.Rank(3, [], FeedbackPairing.BestVsWorst);
        Assert.Empty(ranked.Pairs);
        Assert.All(ranked.Scores, s => Assert.True(double.IsNaN(s)));
    }
}
