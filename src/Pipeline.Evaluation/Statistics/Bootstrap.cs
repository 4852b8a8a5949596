namespace Pipeline.Evaluation.Statistics;

/// <summary>
/// Percentile bootstrap intervals: resample the prompts with replacement, recompute the statistic, take the 2.5th and
/// 97.5th percentiles. Seeded, so a report computed twice shows the same intervals.
/// </summary>
public static class Bootstrap
{
    /// <summary>1000 resamples: the interval's ends move by well under 1% of its width between seeds at n ≥ 50.</summary>
    public const int DefaultResamples = 1000;

    public const int DefaultSeed = 20240611;

    /// <summary>The mean of <paramref name="values"/> with its interval; NaN values (unscored prompts) are left out.</summary>
    public static Estimate Mean(IReadOnlyList<double> values, int resamples = DefaultResamples, int seed = DefaultSeed, double confidence = 0.95)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return Statistic(finite.Length, indices => MeanAt(finite, indices), resamples, seed, confidence);
    }

    /// <summary>
    /// Any statistic of n paired observations (a win rate against a reference, a difference of two candidates' means on
    /// the same prompts): <paramref name="statistic"/> receives the indices of one resample (the identity first).
    /// </summary>
    public static Estimate Statistic(int count, Func<int[], double> statistic, int resamples = DefaultResamples, int seed = DefaultSeed, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (confidence is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be in (0, 1)");
        if (count == 0) return Estimate.Missing;
        var value = statistic([.. Enumerable.Range(0, count)]);
        var random = new Random(seed);
        var draws = new double[resamples];
        var indices = new int[count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < count; i++) indices[i] = random.Next(count);
            draws[r] = statistic(indices);
        }
        Array.Sort(draws);
        var alpha = (1 - confidence) / 2;
        return new Estimate(value, Quantile(draws, alpha), Quantile(draws, 1 - alpha), count);
    }

    /// <summary>The q-quantile of sorted values by linear interpolation between order statistics (R's type 7, NumPy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    private static double MeanAt(double[] values, int[] indices)
    {
        var sum = 0.0;
        foreach (var i in indices) sum += values[i];
        return sum / indices.Length;
    }
}
