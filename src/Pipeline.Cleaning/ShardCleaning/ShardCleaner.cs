using Pipeline.Cleaning.Parallelism;
using Pipeline.Data.Cards;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Ingestion.ShardMerge;
using Pipeline.Data.Readers;

namespace Pipeline.Cleaning.ShardCleaning;

/// <summary>
/// The first pass of sharded ingestion over one shard, streaming and on every core: records are read in batches;
/// each batch is normalized, filtered, hashed and signed in parallel (<see cref="OrderedParallel.Map"/>, results in
/// input order) while the next batch is read; the results are written in order as a cleaned shard
/// (<see cref="CleanedShardFiles"/>). The output is byte-identical whatever the core count or batch size.
/// </summary>
public sealed class ShardCleaner
{
    private readonly IngestionOptions options;
    private readonly ShardFilters filters;
    private readonly int parallelism;
    private readonly int batchSize;

    /// <param name="filters">The run's filters; the local ones must be thread-safe (the built-in ones are immutable).</param>
    /// <param name="maxDegreeOfParallelism">−1 (default) for all cores.</param>
    /// <param name="batchSize">Records cleaned together; 1024 keeps every core busy while bounding memory to a few MB.</param>
    public ShardCleaner(IngestionOptions options, ShardFilters filters, int maxDegreeOfParallelism = -1, int batchSize = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.options = options;
        this.filters = filters;
        parallelism = maxDegreeOfParallelism;
        this.batchSize = batchSize;
    }

    /// <summary>Cleans <paramref name="source"/> into the three files of a cleaned shard in <paramref name="outputDirectory"/>.</summary>
    public async Task<ShardCleaningResult> CleanAsync(ShardSource source, string outputDirectory, CancellationToken ct = default)
    {
        var card = new DataCard { Inputs = [new InputSummary { Path = source.InputName, Format = source.Format.Describe() }] };
        using var writer = new CleanedShardWriter(outputDirectory, this.filters.SignatureLengths);
        Task<(List<ReadResult> Batch, Outcome[] Outcomes)>? cleaning = null;
        var batch = new List<ReadResult>(this.batchSize);
        await foreach (var result in DatasetReader.ReadAsync(source.Path, source.Format, source.Start, ct).WithCancellation(ct))
        {
            batch.Add(result);
            if (batch.Count < this.batchSize) continue;
            // Clean this batch on the other cores while this thread reads the next one.
            if (cleaning is not null) Write(await cleaning.ConfigureAwait(false), card, writer, source.InputName);
            var full = batch;
            cleaning = Task.Run(() => (full, OrderedParallel.Map(full, r => Clean(r, source.InputName), parallelism, ct)), ct);
            batch = new List<ReadResult>(this.batchSize);
        }
        if (cleaning is not null) Write(await cleaning.ConfigureAwait(false), card, writer, source.InputName);
        Write((batch, OrderedParallel.Map(batch, r => Clean(r, source.InputName), parallelism, ct)), card, writer, source.InputName);
        writer.Finish(card);
        return new ShardCleaningResult(card.RowsRead, card.BadRows, card.DroppedRows, writer.Count);
    }

    private sealed record Outcome(CleanedExample? Cleaned, ShardRow? Row);

    /// <summary>Everything per record that needs no other record: runs on any core.</summary>
    private Outcome Clean(ReadResult result, string inputName)
    {
        if (result.Error is not null) return new Outcome(null, null);
        var cleaned = ExampleCleaning.Clean(result.Example!, inputName, this.filters.Local);
        return new Outcome(cleaned, cleaned.Kept is { } kept ? ShardRow.From(kept, kept.Source?.Line ?? 0, this.filters.Deferred) : null);
    }

    /// <summary>The card and the files, in input order, on one thread.</summary>
    private void Write((List<ReadResult> Batch, Outcome[] Outcomes) cleaned, DataCard card, CleanedShardWriter writer, string inputName)
    {
        var input = card.Inputs[0];
        for (int i = 0; i < cleaned.Batch.Count; i++)
        {
            card.RowsRead++;
            input.RowsRead++;
            if (cleaned.Batch[i].Error is { } error)
            {
                card.RecordBadRow(error with { File = inputName }, this.options.MaxReportedBadRows);
                input.BadRows++;
                continue;
            }
            var outcome = cleaned.Outcomes[i];
            ExampleCleaning.Record(card, input, outcome.Cleaned!, this.options.MaxDropExamplesPerReason);
            if (outcome.Row is { } row) writer.Add(row);
        }
    }
}

/// <summary>What cleaning a shard did: rows read, bad, dropped by the shard's filters, and passed on to the merge.</summary>
public sealed record ShardCleaningResult(long RowsRead, long BadRows, long Dropped, long Candidates);
