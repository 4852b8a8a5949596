namespace Pipeline.Cleaning.Parallelism;

/// <summary>
/// Maps a batch over all cores and returns the results in input order, so that a cleaned shard
/// is byte-identical whatever the core count. Every cleaning component (detector, scrubber,
/// filter chain) is immutable, so one instance may be shared by all workers.
/// </summary>
public static class OrderedParallel
{
    /// <param name="maxDegreeOfParallelism">−1 (default) for all cores; 1 runs sequentially.</param>
    public static TOut[] Map<TIn, TOut>(IReadOnlyList<TIn> items, Func<TIn, TOut> map, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(map);
        if (maxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use −1 for all cores or a positive number of workers.");
        var results = new TOut[items.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, items.Count, options, i => results[i] = map(items[i]));
        return results;
    }
}
