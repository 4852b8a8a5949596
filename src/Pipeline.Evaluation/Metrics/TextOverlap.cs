namespace Pipeline.Evaluation.Metrics;

/// <summary>Agreement of a reply with a reference reply: ROUGE-L and exact match.</summary>
public static class TextOverlap
{
    /// <summary>
    /// ROUGE-L F1: the longest common subsequence of words, as precision over the candidate's words and recall over the
    /// reference's, combined as 2PR/(P+R). Two empty texts agree fully (1); one empty text against words scores 0.
    /// </summary>
    public static double RougeL(string candidate, string reference)
    {
        var c = WordTokens.Of(candidate);
        var r = WordTokens.Of(reference);
        if (c.Count == 0 && r.Count == 0) return 1;
        if (c.Count == 0 || r.Count == 0) return 0;
        var lcs = LongestCommonSubsequence(c, r);
        if (lcs == 0) return 0;
        var precision = (double)lcs / c.Count;
        var recall = (double)lcs / r.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>Equal after trimming, collapsing whitespace and ignoring case.</summary>
    public static bool ExactMatch(string candidate, string reference) =>
        string.Equals(Normalize(candidate), Normalize(reference), StringComparison.OrdinalIgnoreCase);

    public static int LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
