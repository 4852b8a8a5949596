namespace Pipeline.Bench.Training;

/// <summary>Wall-clock seconds of the timed steps of one loop, and the figures derived from them.</summary>
public sealed record StepTimes(IReadOnlyList<double> Seconds, int TokensPerStep, double FirstLoss, double LastLoss)
{
    public double MedianSeconds
    {
        get
        {
            var sorted = Seconds.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    public double TokensPerSecond => TokensPerStep / MedianSeconds;
}
