namespace Pipeline.Evaluation.Statistics;

/// <summary>
/// A metric's value over the evaluated prompts, with a 95% bootstrap interval when it is a mean of per-prompt values
/// (<see cref="Low"/> and <see cref="High"/> are NaN for corpus-level metrics such as distinct-n).
/// </summary>
public sealed record Estimate(double Value, double Low, double High, int Count)
{
    public bool HasInterval => !double.IsNaN(Low) && !double.IsNaN(High);

    public static Estimate Point(double value, int count) => new(value, double.NaN, double.NaN, count);

    public static Estimate Missing { get; } = new(double.NaN, double.NaN, double.NaN, 0);
}
