using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Cleaning.Parallelism;
using Pipeline.Cleaning.Pii;
using Pipeline.Cleaning.Quality;
using Pipeline.Cleaning.Reporting;

namespace Pipeline.Cleaning;

/// <summary>
/// Cleaning of one in-memory batch, in the order that makes each step cheapest and most
/// effective: 1. quality filters (cheap drops first), 2. PII scrubbing (so examples that differ
/// only in a name or e-mail collapse), 3. near-duplicate removal over the scrubbed text.
/// Output keeps input order. For data larger than memory, run steps 1–2 and
/// <see cref="NearDuplicateDetector.ComputeSignature"/> per shard and
/// <see cref="NearDuplicateDetector.FindClusters"/> once over all signatures.
/// </summary>
public sealed class CleaningPipeline
{
    private readonly QualityFilterChain _quality;
    private readonly PiiScrubber _scrubber;
    private readonly NearDuplicateDetector _nearDuplicates;

    public CleaningPipeline(CleaningPipelineOptions? options = null, Func<string, int>? countTokens = null)
    {
        Options = options ?? new CleaningPipelineOptions();
        _quality = new QualityFilterChain(Options.Quality, countTokens);
        _scrubber = new PiiScrubber(Options.Pii);
        _nearDuplicates = new NearDuplicateDetector(Options.NearDuplicates);
    }

    public CleaningPipelineOptions Options { get; }

    public CleaningBatchResult Clean(IReadOnlyList<ConversationSample> samples)
    {
        var report = new CleaningReport();
        report.RecordExamples(samples.Count);
        var parallelism = Options.MaxDegreeOfParallelism;

        // 1. quality
        var verdicts = OrderedParallel.Map(samples, _quality.Check, parallelism);
        var kept = new List<ConversationSample>();
        for (var i = 0; i < samples.Count; i++)
        {
            if (verdicts[i].Keep)
                kept.Add(samples[i]);
            else
                report.RecordDrop(verdicts[i].Reason!);
        }

        // 2. PII
        if (Options.ScrubPii)
        {
            var scrubbed = OrderedParallel.Map(kept, Scrub, parallelism);
            kept = [.. scrubbed.Select(s => s.Sample)];
            foreach (var (_, counts) in scrubbed)
                report.RecordPii(counts);
        }

        // 3. near-duplicates
        if (Options.RemoveNearDuplicates)
        {
            // Each turn shingled on its own (see NearDuplicateDetector.ComputeSignature(IReadOnlyList<string>)); the length keeps the longest.
            var signatures = OrderedParallel.Map(kept, s => new DocumentSignature(s.Id, ComparisonText(s).Length, _nearDuplicates.ComputeSignature([.. s.AllTexts().Select(PlaceholderText.WithoutNumbers)])), parallelism);
            var result = _nearDuplicates.FindClusters(signatures);
            report.RecordNearDuplicates(result);
            kept = [.. kept.Where(s => !result.IdsToDrop.Contains(s.Id))];
        }
        return new CleaningBatchResult(kept, report);
    }

    /// <summary>The sample with PII replaced, consistently across its turns, chosen and rejected.</summary>
    public (ConversationSample Sample, IReadOnlyDictionary<PiiType, int> Counts) Scrub(ConversationSample sample)
    {
        var texts = sample.AllTexts().ToList();
        var result = _scrubber.Scrub(texts);
        var turns = sample.Turns.Select((t, i) => t with { Content = result.Turns[i] }).ToList();
        var next = sample.Turns.Count;
        var chosen = sample.Chosen is null ? null : result.Turns[next++];
        var rejected = sample.Rejected is null ? null : result.Turns[next];
        return (sample with { Turns = turns, Chosen = chosen, Rejected = rejected }, result.Counts);
    }

    /// <summary>The text compared for near-duplicates: every turn and reply, one per line.</summary>
    public static string ComparisonText(ConversationSample sample) => string.Join('\n', sample.AllTexts());
}

/// <summary>The kept samples, in input order, and what was done to the batch.</summary>
public sealed record CleaningBatchResult(IReadOnlyList<ConversationSample> Kept, CleaningReport Report);
