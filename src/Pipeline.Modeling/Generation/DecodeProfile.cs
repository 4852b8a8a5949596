using System.Diagnostics;

namespace Pipeline.Modeling.Generation;

/// <summary>
/// Where a generation's time went, summed over its decode steps (for benchmarks: pass one in
/// <see cref="GenerationOptions.Profile"/>). Not thread-safe; one per <see cref="SequenceGenerator.Generate"/> call.
/// </summary>
public sealed class DecodeProfile
{
    /// <summary>Decode steps after the prefill.</summary>
    public int Steps { get; internal set; }

    /// <summary>The prompt pass (forward over every prompt token, and the first token's choice).</summary>
    public TimeSpan Prefill { get; internal set; }

    /// <summary>The model's forward in decode steps (cache writes inside the layers included).</summary>
    public TimeSpan Forward { get; internal set; }

    /// <summary>Removing finished rows from the cache and compacting it, outside the forward.</summary>
    public TimeSpan CacheUpdate { get; internal set; }

    /// <summary>Updating the attention mask and position ids for the next step.</summary>
    public TimeSpan MasksAndPositions { get; internal set; }

    /// <summary>Log-probabilities, repetition penalty, temperature, top-k, top-p and the draw.</summary>
    public TimeSpan Sampling { get; internal set; }

    /// <summary>End ids and stop sequences.</summary>
    public TimeSpan StopChecks { get; internal set; }

    /// <summary>Reading the chosen tokens back and recording them per row.</summary>
    public TimeSpan HostWork { get; internal set; }

    internal static long Now => Stopwatch.GetTimestamp();
    internal static TimeSpan Since(long start) => Stopwatch.GetElapsedTime(start);
}
