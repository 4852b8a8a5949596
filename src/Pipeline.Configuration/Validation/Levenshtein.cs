namespace Pipeline.Configuration.Validation;

/// <summary>
/// Edit distances between short strings (config keys and enum values), used to suggest what a
/// person probably meant when they mistype a key.
/// </summary>
public static class Levenshtein
{
    /// <summary>Insertions, deletions and substitutions, each costing one.</summary>
    public static int Distance(string a, string b) => Compute(a, b, countTranspositions: false);

    /// <summary>
    /// Like <see cref="Distance"/>, but swapping two adjacent characters costs one (optimal string
    /// alignment, the restricted Damerau–Levenshtein distance): "lerning" and "elarning" are both one
    /// slip of the fingers away from a key, and typos are mostly of that kind.
    /// </summary>
    public static int DamerauDistance(string a, string b) => Compute(a, b, countTranspositions: true);

    private static int Compute(string a, string b, bool countTranspositions)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // Three rolling rows: the transposition step looks two rows back.
        var previousPrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var best = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (countTranspositions && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    best = Math.Min(best, previousPrevious[j - 2] + 1);
                current[j] = best;
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious);
        }
        return previous[b.Length];
    }
}
