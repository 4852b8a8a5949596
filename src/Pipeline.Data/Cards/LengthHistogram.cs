namespace Pipeline.Data.Cards;

/// <summary>
/// Counts of example lengths in fixed, doubling buckets (fixed so that cards of different runs compare). Bucket i
/// holds lengths in [UpperBounds[i-1], UpperBounds[i]); the last bucket is open-ended.
/// </summary>
public sealed class LengthHistogram
{
    public string Unit { get; set; } = "";

    public List<long> UpperBounds { get; set; } = [];

    public List<long> Counts { get; set; } = [];

    public static LengthHistogram ForCharacters() => Doubling("characters", first: 64, buckets: 10);

    public static LengthHistogram ForWhitespaceTokens() => Doubling("whitespace tokens", first: 16, buckets: 10);

    private static LengthHistogram Doubling(string unit, long first, int buckets)
    {
        var bounds = new List<long>();
        for (long bound = first; bounds.Count < buckets - 1; bound *= 2) bounds.Add(bound);
        return new LengthHistogram { Unit = unit, UpperBounds = bounds, Counts = Enumerable.Repeat(0L, buckets).ToList() };
    }

    public void Add(long length)
    {
        int bucket = 0;
        while (bucket < UpperBounds.Count && length >= UpperBounds[bucket]) bucket++;
        Counts[bucket]++;
    }

    /// <summary>"0–63", "64–127", ..., "8192+".</summary>
    public string Label(int bucket)
    {
        long low = bucket == 0 ? 0 : UpperBounds[bucket - 1];
        return bucket < UpperBounds.Count ? $"{low}–{UpperBounds[bucket] - 1}" : $"{low}+";
    }
}
