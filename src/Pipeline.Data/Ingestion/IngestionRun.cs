using Pipeline.Data.Cards;
using Pipeline.Data.Dedup;
using Pipeline.Data.Filters;
using Pipeline.Data.Readers;
using Pipeline.Data.Sinks;
using Pipeline.Data.Splitting;

namespace Pipeline.Data.Ingestion;

/// <summary>
/// The mutable state of one ingestion run and the per-record steps: normalize, filter, de-duplicate, split, write.
/// Shard boundaries are where the run can be checkpointed: when either split's open shard is full, both splits'
/// shards are closed, so a checkpoint never has half-written files to carry, and because boundaries depend only on
/// the data, a resumed run closes the same shards at the same rows as an uninterrupted one.
/// </summary>
internal sealed class IngestionRun : IAsyncDisposable
{
    public const string NormalizationCounter = ExampleCleaning.NormalizationCounter;

    /// <summary>What the data card says of an exact duplicate.</summary>
    internal const string DuplicateDetail = "the same normalized conversation as an earlier row";

    private readonly IngestionOptions options;
    private readonly IReadOnlyList<IExampleFilter> filters;
    private readonly string fingerprint;
    private readonly ExactDeduplicator deduplicator;
    private readonly JsonlShardWriter train;
    private readonly JsonlShardWriter validation;

    private IngestionRun(IngestionOptions options, IDatasetSink sink, IReadOnlyList<IExampleFilter> filters, string fingerprint,
        DataCard card, ExactDeduplicator deduplicator, int inputIndex, ReadPosition position, int trainShards, int validationShards)
    {
        this.options = options;
        this.filters = filters;
        this.fingerprint = fingerprint;
        this.deduplicator = deduplicator;
        Card = card;
        InputIndex = inputIndex;
        Position = position;
        train = new JsonlShardWriter(sink, DatasetSplits.Name(DatasetSplit.Train), trainShards);
        validation = new JsonlShardWriter(sink, DatasetSplits.Name(DatasetSplit.Validation), validationShards);
    }

    public DataCard Card { get; }

    public int InputIndex { get; private set; }

    public ReadPosition Position { get; private set; }

    public static IngestionRun Start(IngestionOptions options, IDatasetSink sink, IReadOnlyList<IExampleFilter> filters, string fingerprint, IReadOnlyList<DetectedFormat> formats)
    {
        var card = new DataCard
        {
            Settings = new DataCardSettings(options.Seed, options.ValidationFraction, options.ShardSize, filters.Select(f => f.Name).ToList()),
            Inputs = options.Inputs.Select((input, i) => new InputSummary { Path = input.Name, Format = formats[i].Describe() }).ToList(),
        };
        return new IngestionRun(options, sink, filters, fingerprint, card, new ExactDeduplicator(), 0, ReadPosition.Start, 0, 0);
    }

    public static IngestionRun Resume(IngestionOptions options, IDatasetSink sink, IReadOnlyList<IExampleFilter> filters, string fingerprint, IngestionCheckpoint checkpoint)
    {
        if (checkpoint.OptionsFingerprint != fingerprint)
            throw new InvalidOperationException(
                $"The ingestion checkpoint was written under different options (fingerprint {checkpoint.OptionsFingerprint}, now {fingerprint}): " +
                "inputs, split, shard size, limits and filters must be the same to resume. Start the stage over, or resume with the original options.");
        foreach (var filter in filters.OfType<IStatefulExampleFilter>())
        {
            if (!checkpoint.FilterStates.TryGetValue(filter.Name, out var state))
                throw new InvalidOperationException($"The ingestion checkpoint has no saved state for the filter '{filter.Name}'.");
            filter.RestoreState(state);
        }
        return new IngestionRun(options, sink, filters, fingerprint, checkpoint.Card.Clone(), ExactDeduplicator.Import(checkpoint.SeenHashes),
            checkpoint.InputIndex, checkpoint.Position, checkpoint.TrainShards, checkpoint.ValidationShards);
    }

    public void NextInput()
    {
        InputIndex++;
        Position = ReadPosition.Start;
    }

    /// <summary>Takes one read result through the steps; true when a shard boundary was reached.</summary>
    public async Task<bool> AddAsync(ReadResult result, CancellationToken ct)
    {
        var input = Card.Inputs[InputIndex];
        Card.RowsRead++;
        input.RowsRead++;
        Position = result.Next;
        if (result.Error is { } error)
        {
            Card.RecordBadRow(error with { File = input.Path }, options.MaxReportedBadRows);
            input.BadRows++;
            return false;
        }

        // 1-2. normalize, then the filters in order (the first drop wins)
        var cleaned = ExampleCleaning.Clean(result.Example!, input.Path, filters);
        ExampleCleaning.Record(Card, input, cleaned, options.MaxDropExamplesPerReason);
        if (cleaned.Kept is not { } example) return false;

        // 3. exact duplicates of what is already kept
        var hash = ExampleHasher.ContentHash(example);
        if (!deduplicator.TryAdd(hash))
        {
            Drop(input, ExactDeduplicator.DropReason, DuplicateDetail, example);
            return false;
        }

        // 4. split and write
        var split = DatasetSplitter.Assign(ExampleHasher.SplitKey(example), options.Seed, options.ValidationFraction);
        var writer = split == DatasetSplit.Train ? train : validation;
        await writer.WriteAsync(example, ct).ConfigureAwait(false);
        if (split == DatasetSplit.Train) Card.TrainRows++;
        else Card.ValidationRows++;
        input.Kept++;
        Card.RecordKept(example);
        return writer.RowsInShard >= options.ShardSize;
    }

    private void Drop(InputSummary input, string reason, string detail, Example example)
    {
        input.Dropped++;
        Card.RecordDrop(reason, detail, example, options.MaxDropExamplesPerReason);
    }

    /// <summary>Closes both splits' open shards and lists them in the card.</summary>
    public async Task CloseShardsAsync(CancellationToken ct)
    {
        foreach (var (writer, split) in new[] { (train, DatasetSplit.Train), (validation, DatasetSplit.Validation) })
        {
            if (await writer.CloseShardAsync(ct).ConfigureAwait(false) is { } shard)
                Card.Shards.Add(new ShardSummary(shard.Path, DatasetSplits.Name(split), shard.Rows));
        }
    }

    /// <summary>A snapshot of the run; valid only right after <see cref="CloseShardsAsync"/> (no shard open).</summary>
    public IngestionCheckpoint Checkpoint() => new()
    {
        OptionsFingerprint = fingerprint,
        InputIndex = InputIndex,
        Position = Position,
        TrainShards = train.ShardsWritten,
        ValidationShards = validation.ShardsWritten,
        Card = Card.Clone(),
        SeenHashes = deduplicator.Export(),
        FilterStates = filters.OfType<IStatefulExampleFilter>().ToDictionary(f => f.Name, f => f.SaveState()),
    };

    public async ValueTask DisposeAsync()
    {
        await train.DisposeAsync().ConfigureAwait(false);
        await validation.DisposeAsync().ConfigureAwait(false);
    }
}
