using Pipeline.Cleaning.Pii;
using Pipeline.Data;
using Pipeline.Data.Filters;

namespace Pipeline.Cleaning.ExampleFilters;

/// <summary>
/// PII scrubbing as an ingestion step: keeps every example, with PII replaced consistently across
/// its messages, chosen and rejected, and counts replacements per type (<c>pii.email</c>, ...).
/// </summary>
public sealed class PiiExampleFilter(PiiOptions? options = null) : IExampleFilter
{
    private readonly PiiScrubber scrubber = new(options);

    public string Name => "pii";

    public ExampleVerdict Apply(Example example)
    {
        var result = scrubber.Scrub(example.Texts());
        if (result.Total == 0)
            return ExampleVerdict.Keep(example);
        var verdict = ExampleVerdict.Keep(example.WithTexts(result.Turns));
        foreach (var (type, count) in result.Counts.OrderBy(c => c.Key))
            verdict = verdict.WithCounter($"pii.{type.CounterName()}", count);
        return verdict;
    }
}
