using Pipeline.Data.Cards;
using Pipeline.Data.Filters;
using Pipeline.Data.Normalization;

namespace Pipeline.Data.Ingestion;

/// <summary>
/// The per-example part of ingestion that needs nothing but the example: normalize, then the filters in order
/// (the first drop wins). Pure, so sharded ingestion runs it on many cores and replicas and still decides as
/// the single pass does; both paths go through here, and through <see cref="Record"/> for the data card.
/// </summary>
public static class ExampleCleaning
{
    public const string NormalizationCounter = "normalization.changed_examples";

    /// <param name="inputName">The input as people know it; the example's source is renamed to it.</param>
    public static CleanedExample Clean(Example read, string inputName, IReadOnlyList<IExampleFilter> filters)
    {
        // 1. normalize (and name the source as people know it, not by a local copy's path)
        var example = CanonicalText.Normalize(read);
        if (example.Source is { } source && source.File != inputName) example = example with { Source = source with { File = inputName } };
        bool normalized = !ReferenceEquals(example, read);

        // 2. filters, in order; the first drop wins
        List<KeyValuePair<string, long>>? counters = null;
        foreach (var filter in filters)
        {
            var verdict = filter.Apply(example);
            if (verdict.Counters.Count > 0) (counters ??= []).AddRange(verdict.Counters);
            if (verdict.Kept is null)
                return new CleanedExample(null, example, normalized, counters, verdict.Reason ?? filter.Name, verdict.Detail ?? $"dropped by {filter.Name}");
            example = verdict.Kept;
        }
        return new CleanedExample(example, example, normalized, counters, null, null);
    }

    /// <summary>Adds what cleaning one example did to the card: counters, and the drop if it was dropped.</summary>
    public static void Record(DataCard card, InputSummary input, CleanedExample cleaned, int maxDropExamples)
    {
        if (cleaned.NormalizationChanged) card.AddCounter(NormalizationCounter);
        if (cleaned.Counters is { } counters)
            foreach (var (name, delta) in counters) card.AddCounter(name, delta);
        if (cleaned.Kept is not null) return;
        input.Dropped++;
        card.RecordDrop(cleaned.DropReason!, cleaned.DropDetail!, cleaned.Last, maxDropExamples);
    }
}

/// <summary>
/// One example after <see cref="ExampleCleaning.Clean"/>: <see cref="Kept"/> (null when dropped), the example as the
/// last filter saw it (what a drop cites), the filters' counters and, for a drop, its reason and detail.
/// </summary>
public sealed record CleanedExample(
    Example? Kept,
    Example Last,
    bool NormalizationChanged,
    IReadOnlyList<KeyValuePair<string, long>>? Counters,
    string? DropReason,
    string? DropDetail);
