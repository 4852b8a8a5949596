namespace Pipeline.Data.Filters;

/// <summary>
/// A filter's decision: keep (the example, possibly transformed) or drop (a snake_case reason counted in the data
/// card, and a detail for a person). Either may carry counters for the data card ("pii.email": 2).
/// </summary>
public sealed record ExampleVerdict
{
    private ExampleVerdict(Example? kept, string? reason, string? detail, IReadOnlyDictionary<string, long> counters)
    {
        Kept = kept;
        Reason = reason;
        Detail = detail;
        Counters = counters;
    }

    /// <summary>The example to continue with; null when dropped.</summary>
    public Example? Kept { get; }

    public bool IsKept => Kept is not null;

    public string? Reason { get; }

    public string? Detail { get; }

    public IReadOnlyDictionary<string, long> Counters { get; }

    private static readonly IReadOnlyDictionary<string, long> NoCounters = new Dictionary<string, long>();

    public static ExampleVerdict Keep(Example example) => new(example, null, null, NoCounters);

    public static ExampleVerdict Drop(string reason, string detail) => new(null, reason, detail, NoCounters);

    /// <summary>The same verdict with a counter added (counters of all verdicts are summed into the data card).</summary>
    public ExampleVerdict WithCounter(string name, long delta = 1)
    {
        var counters = new Dictionary<string, long>(Counters);
        counters[name] = counters.GetValueOrDefault(name) + delta;
        return new ExampleVerdict(Kept, Reason, Detail, counters);
    }
}
