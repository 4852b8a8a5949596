using System.Text;
using Pipeline.Data.Cards;
using Pipeline.Data.Filters;
using Pipeline.Data.Readers;
using Pipeline.Data.Sinks;

namespace Pipeline.Data.Ingestion;

/// <summary>
/// Builds a dataset artifact's files from raw inputs, streaming: read each input → normalize → filters → exact
/// dedup → deterministic split → JSON Lines shards (train-00000.jsonl, validation-00000.jsonl, ...) and finally
/// data_card.json and data_card.md, all through the sink. Memory is bounded by one record, the dedup hashes and
/// the write buffer. A checkpoint is emitted at every shard boundary; a run resumed from one writes byte-identical
/// files to an uninterrupted run, and a caller may stop after any checkpoint to do a long run in slices.
/// </summary>
public sealed class DatasetBuilder
{
    public const string DataCardJsonPath = "data_card.json";
    public const string DataCardMarkdownPath = "data_card.md";

    private const int ProgressEveryRecords = 1024;

    private readonly IngestionOptions options;
    private readonly IDatasetSink sink;
    private readonly IReadOnlyList<IExampleFilter> filters;

    /// <param name="filters">Run after the built-in <see cref="MessageLengthFilter"/>, in this order.</param>
    public DatasetBuilder(IngestionOptions options, IDatasetSink sink, IEnumerable<IExampleFilter>? filters = null)
    {
        options.Validate();
        this.options = options;
        this.sink = sink;
        this.filters = WithBuiltInFilters(options, filters);
    }

    /// <summary>The filters a run applies: the built-in <see cref="MessageLengthFilter"/>, then these, in order.</summary>
    public static IReadOnlyList<IExampleFilter> WithBuiltInFilters(IngestionOptions options, IEnumerable<IExampleFilter>? filters)
    {
        IExampleFilter[] all = [new MessageLengthFilter(options.MinCharsPerMessage, options.MaxCharsPerMessage), .. filters ?? []];
        var duplicate = all.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Two filters are named '{duplicate.Key}'; filter names must be unique (checkpoints key filter state by name).", nameof(filters));
        return all;
    }

    /// <param name="resumeFrom">The last checkpoint of an earlier run with the same options, or null to start.</param>
    /// <param name="onCheckpoint">Called at every shard boundary; persist the checkpoint here (awaited before going on).</param>
    /// <param name="progress">Bytes read of all inputs, and rows so far.</param>
    /// <param name="shouldYield">Asked after each checkpoint; true stops the run there with a not-completed result.</param>
    public async Task<IngestionResult> RunAsync(
        IngestionCheckpoint? resumeFrom = null,
        Func<IngestionCheckpoint, Task>? onCheckpoint = null,
        IProgress<IngestionProgress>? progress = null,
        Func<bool>? shouldYield = null,
        CancellationToken ct = default)
    {
        string fingerprint = options.Fingerprint(filters.Select(f => f.Name));
        // 1. every input's format, before anything is written: a misconfigured input fails the stage at once
        var formats = new List<DetectedFormat>();
        foreach (var input in options.Inputs)
        {
            try
            {
                formats.Add(await FormatDetector.DetectAsync(input, ct).ConfigureAwait(false));
            }
            catch (DataFormatException error) when (input.DisplayName is { } name)
            {
                throw new DataFormatException(name, error.Message.Replace(input.Path, name, StringComparison.Ordinal));
            }
        }
        var sizes = options.Inputs.Select(i => new FileInfo(i.Path).Length).ToArray();

        // 2. the run's state, fresh or from the checkpoint
        var run = (resumeFrom is null
            ? IngestionRun.Start(options, sink, filters, fingerprint, formats)
            : IngestionRun.Resume(options, sink, filters, fingerprint, resumeFrom));
        await using var runScope = run.ConfigureAwait(false);

        // 3. stream the inputs, checkpointing at shard boundaries
        for (; run.InputIndex < options.Inputs.Count; run.NextInput())
        {
            string path = options.Inputs[run.InputIndex].Path;
            long records = 0;
            await foreach (var result in DatasetReader.ReadAsync(path, formats[run.InputIndex], run.Position, ct).WithCancellation(ct))
            {
                bool boundary = await run.AddAsync(result, ct).ConfigureAwait(false);
                if (++records % ProgressEveryRecords == 0) Report(progress, run, sizes);
                if (!boundary) continue;
                await run.CloseShardsAsync(ct).ConfigureAwait(false);
                var checkpoint = run.Checkpoint();
                if (onCheckpoint is not null) await onCheckpoint(checkpoint).ConfigureAwait(false);
                Report(progress, run, sizes);
                if (shouldYield?.Invoke() == true)
                    return new IngestionResult { Completed = false, Checkpoint = checkpoint, Card = checkpoint.Card, Files = Files(checkpoint.Card, withCard: false) };
            }
        }

        // 4. the last shards and the data card
        await run.CloseShardsAsync(ct).ConfigureAwait(false);
        foreach (var contributor in filters.OfType<IDataCardContributor>()) contributor.Contribute(run.Card);
        await WriteTextAsync(DataCardJsonPath, run.Card.ToJson() + "\n", ct).ConfigureAwait(false);
        await WriteTextAsync(DataCardMarkdownPath, DataCardMarkdown.Render(run.Card), ct).ConfigureAwait(false);
        Report(progress, run, sizes);
        var final = run.Checkpoint();
        return new IngestionResult { Completed = true, Checkpoint = final, Card = final.Card, Files = Files(final.Card, withCard: true) };
    }

    private static IReadOnlyList<string> Files(DataCard card, bool withCard) =>
        [.. card.Shards.Select(s => s.Path), .. withCard ? new[] { DataCardJsonPath, DataCardMarkdownPath } : []];

    private async Task WriteTextAsync(string path, string text, CancellationToken ct)
    {
        var stream = await sink.OpenWriteAsync(path, ct).ConfigureAwait(false);
        await using var streamScope = stream.ConfigureAwait(false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
    }

    private void Report(IProgress<IngestionProgress>? progress, IngestionRun run, long[] sizes)
    {
        if (progress is null) return;
        int index = Math.Min(run.InputIndex, sizes.Length);
        long done = sizes.Take(index).Sum() + (index < sizes.Length ? Math.Min(run.Position.ByteOffset, sizes[index]) : 0);
        progress.Report(new IngestionProgress(done, sizes.Sum(), index, index < sizes.Length ? options.Inputs[index].Path : "",
            run.Card.RowsRead, run.Card.TrainRows, run.Card.ValidationRows));
    }
}
