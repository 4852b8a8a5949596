using Pipeline.Configuration;

namespace Pipeline.Training.Feedback;

/// <summary>Turns one prompt's judged replies into preference pairs (indices of chosen and rejected).</summary>
public static class FeedbackPairs
{
    /// <summary>
    /// best_vs_worst: the highest score against the lowest (the first of equals), when they differ by more than
    /// <paramref name="minMargin"/>. all_pairs: every (i, j) with score_i − score_j above the margin, ordered by i then j.
    /// Replies with the same text never make a pair (the judge could not have preferred one).
    /// </summary>
    public static IReadOnlyList<(int Chosen, int Rejected)> Select(IReadOnlyList<double> scores, IReadOnlyList<string> texts, FeedbackPairing pairing, double minMargin)
    {
        if (scores.Count != texts.Count) throw new ArgumentException($"{scores.Count} scores for {texts.Count} replies.");
        var pairs = new List<(int, int)>();
        if (pairing == FeedbackPairing.BestVsWorst)
        {
            int best = 0, worst = 0;
            for (var i = 1; i < scores.Count; i++)
            {
                if (scores[i] > scores[best]) best = i;
                if (scores[i] < scores[worst]) worst = i;
            }
            if (scores[best] - scores[worst] > minMargin && texts[best] != texts[worst]) pairs.Add((best, worst));
            return pairs;
        }
        for (var i = 0; i < scores.Count; i++)
            for (var j = 0; j < scores.Count; j++)
                if (scores[i] - scores[j] > minMargin && texts[i] != texts[j]) pairs.Add((i, j));
        return pairs;
    }
}
