using Pipeline.Cleaning.ExampleFilters;
using Pipeline.Configuration;
using Pipeline.Configuration.Synthesis;
using Pipeline.Data;
using Pipeline.Data.Filters;
using Pipeline.Data.Ingestion;
using Pipeline.Ingestion;

namespace Pipeline.Training.Stages.Synthesis;

/// <summary>The synthetic rows that survived cleaning and the cap, in generation order, and why the others were dropped.</summary>
public sealed record CleanedRows(IReadOnlyList<Example> Kept, SortedDictionary<string, int> Dropped);

/// <summary>
/// Ingestion's own cleaning applied to generated rows, in ingestion's order and with its filters (built from the same
/// settings by <see cref="IngestionSettingsMapper"/>): normalization and message length, quality, PII scrubbing, then exact
/// and MinHash near-duplicate removal against the organic rows (seeded into the indexes first) and the synthetic rows
/// before; last the cap on the synthetic share. Deterministic in the input order, so a resumed run keeps the same rows.
/// </summary>
public sealed class SyntheticRowCleaner(SynthesisSettings settings)
{
    public const string ExactDuplicate = "exact_duplicate";
    public const string OverSyntheticShare = "over_synthetic_share";

    public CleanedRows Clean(IReadOnlyList<Example> organic, IReadOnlyList<Example> synthetic)
    {
        var seed = (ulong)(settings.Seed ?? 42);
        var withReplies = new List<IExampleFilter> { new MessageLengthFilter(1, null), new QualityExampleFilter(IngestionSettingsMapper.Quality(settings.Quality)) };
        var withoutReplies = new List<IExampleFilter> { new MessageLengthFilter(1, null) };   // quality filters judge a reply; a row left for review has none
        if (settings.Pii.Enabled)
        {
            var pii = new PiiExampleFilter(IngestionSettingsMapper.Pii(settings.Pii, seed));
            withReplies.Add(pii);
            withoutReplies.Add(pii);
        }
        var nearDuplicates = settings.NearDuplicates.Enabled ? new NearDuplicateExampleFilter(IngestionSettingsMapper.NearDuplicates(settings.NearDuplicates)) : null;
        var seen = new HashSet<UInt128>();
        foreach (var row in organic)
        {
            seen.Add(ExampleHasher.ContentHash(row));
            nearDuplicates?.Apply(row);   // indexes the organic row; whether organic rows duplicate each other is ingest's business
        }

        var kept = new List<Example>();
        var dropped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var cap = settings.MaxSyntheticShare >= 1 ? int.MaxValue : (int)Math.Floor(settings.MaxSyntheticShare * organic.Count / (1 - settings.MaxSyntheticShare));
        foreach (var row in synthetic)
        {
            var hasReply = row.Messages.Any(m => m.Role == ChatRoles.Assistant);
            var cleaned = ExampleCleaning.Clean(row, "synthesize", hasReply ? withReplies : withoutReplies);
            string? reason = cleaned.DropReason;
            if (cleaned.Kept is { } clean)
            {
                if (!seen.Add(ExampleHasher.ContentHash(clean))) reason = ExactDuplicate;
                else if (nearDuplicates?.Apply(clean) is { Kept: null } verdict) reason = verdict.Reason ?? NearDuplicateExampleFilter.DropReason;
                else if (kept.Count >= cap) reason = OverSyntheticShare;
                else kept.Add(clean);
            }
            if (reason is not null) dropped[reason] = dropped.GetValueOrDefault(reason) + 1;
        }
        return new CleanedRows(kept, dropped);
    }
}
