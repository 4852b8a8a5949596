namespace Pipeline.Bench.Foundation;

/// <summary>Count, mean and percentiles of a set of latencies, in milliseconds.</summary>
public sealed record LatencySummary(int Count, double MeanMs, double P50Ms, double P99Ms, double MaxMs);

public static class Percentiles
{
    /// <summary>
    /// The <paramref name="percentile"/> (0-100) of ascending <paramref name="sorted"/> values, interpolating
    /// linearly between the two closest ranks (numpy's default, Hyndman-Fan type 7), so the p50 of an even
    /// count is the mean of the middle two and p0 / p100 are the minimum and maximum.
    /// </summary>
    public static double Of(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0) throw new ArgumentException("Cannot take a percentile of no samples.", nameof(sorted));
        if (percentile is < 0 or > 100 || double.IsNaN(percentile))
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is between 0 and 100.");
        var rank = percentile / 100 * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (rank - lower) * (sorted[upper] - sorted[lower]);
    }

    public static LatencySummary Summarize(IEnumerable<TimeSpan> samples)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("Cannot summarize no samples.", nameof(samples));
        return new LatencySummary(sorted.Length, sorted.Average(), Of(sorted, 50), Of(sorted, 99), sorted[^1]);
    }
}
