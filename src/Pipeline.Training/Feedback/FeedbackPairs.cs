using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;

namespace Pipeline.Training.Feedback;

/// <summary>Turns one prompt's judged replies into preference pairs (indices of chosen and rejected).</summary>
public static class FeedbackPairs
{
    /// <summary>
    /// best_vs_worst: the highest score against the lowest (the first of equals), when they differ by more than
    /// <paramref name="minMargin"/>. all_pairs: every (i, j) with score_i − score_j above the margin, ordered by i then j.
    /// Replies with the same text never make a pair (the judge could not have preferred one), and a NaN score (a verdict
    /// that could not be parsed) takes no part.
    /// </summary>
    public static IReadOnlyList<(int Chosen, int Rejected)> Select(IReadOnlyList<double> scores, IReadOnlyList<string> texts, FeedbackPairing pairing, double minMargin)
    {
        if (scores.Count != texts.Count) throw new ArgumentException($"{scores.Count} scores for {texts.Count} replies.");
        var pairs = new List<(int, int)>();
        if (pairing == FeedbackPairing.BestVsWorst)
        {
            int best = -1, worst = -1;
            for (var i = 0; i < scores.Count; i++)
            {
                if (double.IsNaN(scores[i])) continue;
                if (best < 0 || scores[i] > scores[best]) best = i;
                if (worst < 0 || scores[i] < scores[worst]) worst = i;
            }
            if (best >= 0 && scores[best] - scores[worst] > minMargin && texts[best] != texts[worst]) pairs.Add((best, worst));
            return pairs;
        }
        for (var i = 0; i < scores.Count; i++)
            for (var j = 0; j < scores.Count; j++)
                if (scores[i] - scores[j] > minMargin && texts[i] != texts[j]) pairs.Add((i, j));
        return pairs;
    }
}
