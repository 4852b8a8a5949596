namespace Pipeline.Evaluation.Metrics;

/// <summary>
/// distinct-n (Li et al., 2016): distinct word n-grams over all n-grams of a candidate's replies, pooled over prompts.
/// A policy that collapses onto one template reply scores low even when every reply passes the rules.
/// </summary>
public static class Diversity
{
    /// <returns>The ratio in [0, 1]; NaN when the replies hold no n-gram at all.</returns>
    public static double DistinctN(IEnumerable<string> replies, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var total = 0;
        foreach (var reply in replies)
        {
            var words = WordTokens.Of(reply);
            for (var i = 0; i + n <= words.Count; i++)
            {
                seen.Add(string.Join('\u0001', words.Skip(i).Take(n)));
                total++;
            }
        }
        return total == 0 ? double.NaN : (double)seen.Count / total;
    }
}
