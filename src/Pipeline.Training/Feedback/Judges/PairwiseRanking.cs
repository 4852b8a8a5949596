using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;

namespace Pipeline.Training.Feedback.Judges;

/// <summary>
/// From a prompt's agreeing pairwise verdicts (each unordered pair asked in both orders, kept only when both answers name the
/// same winner) to its preference pairs. Nothing is inferred beyond what the judge said: no transitivity, no guessing for a
/// pair whose verdicts disagreed or did not parse.
/// </summary>
public static class PairwiseRanking
{
    /// <summary>
    /// all_pairs: every agreeing verdict is a pair (winner chosen), in the order given. best_vs_worst: the reply with the most
    /// wins minus losses against the one with the fewest (the first of equals), kept only when the judge compared those two
    /// directly and agreed that the best won. A reply's score is its share of won verdicts (NaN when it won or lost none).
    /// </summary>
    public static RankedReplies Rank(int replies, IReadOnlyList<(int Winner, int Loser)> agreed, FeedbackPairing pairing)
    {
        var wins = new int[replies];
        var losses = new int[replies];
        foreach (var (winner, loser) in agreed)
        {
            wins[winner]++;
            losses[loser]++;
        }
        var scores = Enumerable.Range(0, replies).Select(i => wins[i] + losses[i] == 0 ? double.NaN : (double)wins[i] / (wins[i] + losses[i])).ToList();
        if (pairing == FeedbackPairing.AllPairs) return new RankedReplies(scores, [.. agreed]);

        int best = -1, worst = -1;
        for (var i = 0; i < replies; i++)
        {
            if (wins[i] + losses[i] == 0) continue;
            var net = wins[i] - losses[i];
            if (best < 0 || net > wins[best] - losses[best]) best = i;
            if (worst < 0 || net < wins[worst] - losses[worst]) worst = i;
        }
        return new RankedReplies(scores, best >= 0 && agreed.Contains((best, worst)) ? [(best, worst)] : []);
    }
}
