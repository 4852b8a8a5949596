using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Data.Cards;
using Pipeline.Data.Dedup;
using Pipeline.Data.Filters;
using Pipeline.Data.Readers;
using Pipeline.Data.Sinks;
using Pipeline.Data.Splitting;

namespace Pipeline.Data.Ingestion.ShardMerge;

/// <summary>
/// The second pass of sharded ingestion: reads the cleaned shards in input order and makes the decisions that need
/// the whole dataset from hashes and signatures only (the deferred filters, e.g. near-duplicates across shards, then
/// exact duplicates; the first occurrence in input order is kept), splits, and writes the JSONL shards and the data
/// card exactly as <see cref="DatasetBuilder"/> writes them from the same inputs. Kept lines are copied as bytes, not
/// parsed. Checkpoints at every output shard boundary (an <see cref="IngestionCheckpoint"/> whose input index is
/// the cleaned shard and whose position counts its rows), so a merge too runs in slices and resumes.
/// </summary>
public sealed class ShardedDatasetMerger
{
    private readonly IngestionOptions options;
    private readonly IDatasetSink sink;
    private readonly ShardFilters filters;
    private readonly IReadOnlyList<DetectedFormat> formats;
    private readonly IReadOnlyList<CleanedShardSource> shards;
    private readonly string fingerprint;

    /// <param name="options">The run's options; its inputs' names are how the card lists them (the files need not exist here).</param>
    /// <param name="formats">Each input's format, as detected on the whole input.</param>
    public ShardedDatasetMerger(IngestionOptions options, IDatasetSink sink, ShardFilters filters, IReadOnlyList<DetectedFormat> formats,
        IReadOnlyList<CleanedShardSource> shards)
    {
        options.Validate();
        if (formats.Count != options.Inputs.Count)
            throw new ArgumentException($"{formats.Count} formats for {options.Inputs.Count} inputs; give one per input.", nameof(formats));
        var stray = shards.FirstOrDefault(s => s.InputIndex < 0 || s.InputIndex >= options.Inputs.Count);
        if (stray is not null) throw new ArgumentException($"Shard '{stray.Name}' names input {stray.InputIndex}; there are {options.Inputs.Count}.", nameof(shards));
        this.options = options;
        this.sink = sink;
        this.filters = filters;
        this.formats = formats;
        this.shards = shards;
        this.fingerprint = Fingerprint();
    }

    public async Task<IngestionResult> RunAsync(
        IngestionCheckpoint? resumeFrom = null,
        Func<IngestionCheckpoint, Task>? onCheckpoint = null,
        IProgress<IngestionProgress>? progress = null,
        Func<bool>? shouldYield = null,
        CancellationToken ct = default)
    {
        var state = resumeFrom is null ? Start() : Resume(resumeFrom);
        var train = new JsonlShardWriter(sink, DatasetSplits.Name(DatasetSplit.Train), state.TrainShards);
        await using var trainScope = train.ConfigureAwait(false);
        var validation = new JsonlShardWriter(sink, DatasetSplits.Name(DatasetSplit.Validation), state.ValidationShards);
        await using var validationScope = validation.ConfigureAwait(false);
        var card = state.Card;
        var deduplicator = state.Deduplicator;

        for (int shard = state.Shard; shard < this.shards.Count; shard++)
        {
            var source = this.shards[shard];
            var input = card.Inputs[source.InputIndex];
            string inputName = input.Path;
            long consumed = shard == state.Shard ? state.Consumed : 0;
            if (consumed == 0)
            {
                // The shard's own tally (rows read, bad rows, its filters' drops and counters) joins the card first.
                var cardStream = await source.OpenAsync(CleanedShardFiles.Card, ct).ConfigureAwait(false);
                await using var cardStreamScope = cardStream.ConfigureAwait(false);
                var shardCard = await ReadCardAsync(cardStream, source.Name, ct).ConfigureAwait(false);
                DataCardMerge.Add(card, input, shardCard, this.options.MaxReportedBadRows, this.options.MaxDropExamplesPerReason);
            }
            var reader = CleanedShardReader.Open(
                await source.OpenAsync(CleanedShardFiles.Rows, ct).ConfigureAwait(false), await source.OpenAsync(CleanedShardFiles.Examples, ct).ConfigureAwait(false), source.Name);
            await using var readerScope = reader.ConfigureAwait(false);
            if (!reader.SignatureLengths.SequenceEqual(this.filters.SignatureLengths))
                throw new InvalidDataException($"{source.Name} holds signatures of lengths [{string.Join(", ", reader.SignatureLengths)}]; this run's filters make [{string.Join(", ", this.filters.SignatureLengths)}]. Clean the shard again with the run's settings.");
            for (long skipped = 0; skipped < consumed; skipped++)
                if (await reader.ReadAsync(ct).ConfigureAwait(false) is null)
                    throw new InvalidDataException($"The merge checkpoint is {consumed} rows into {source.Name}, which has only {skipped}.");

            while (await reader.ReadAsync(ct).ConfigureAwait(false) is { } row)
            {
                consumed++;
                var writer = await AddAsync(row, input, card, deduplicator, train, validation, ct).ConfigureAwait(false);
                if (writer is null || writer.RowsInShard < this.options.ShardSize) continue;
                await CloseShardsAsync(card, train, validation, ct).ConfigureAwait(false);
                var checkpoint = Checkpoint(card, deduplicator, shard, consumed, train, validation);
                if (onCheckpoint is not null) await onCheckpoint(checkpoint).ConfigureAwait(false);
                Report(progress, card, shard);
                if (shouldYield?.Invoke() == true)
                    return new IngestionResult { Completed = false, Checkpoint = checkpoint, Card = checkpoint.Card, Files = Files(checkpoint.Card, withCard: false) };
            }
            Report(progress, card, shard + 1);
        }

        await CloseShardsAsync(card, train, validation, ct).ConfigureAwait(false);
        foreach (var contributor in this.filters.All.OfType<IDataCardContributor>()) contributor.Contribute(card);
        await WriteTextAsync(DatasetBuilder.DataCardJsonPath, card.ToJson() + "\n", ct).ConfigureAwait(false);
        await WriteTextAsync(DatasetBuilder.DataCardMarkdownPath, DataCardMarkdown.Render(card), ct).ConfigureAwait(false);
        var final = Checkpoint(card, deduplicator, this.shards.Count, 0, train, validation);
        Report(progress, card, this.shards.Count);
        return new IngestionResult { Completed = true, Checkpoint = final, Card = final.Card, Files = Files(final.Card, withCard: true) };
    }

    /// <summary>The steps a single pass takes after the per-example filters; returns the writer the row went to, or null when dropped.</summary>
    private async Task<JsonlShardWriter?> AddAsync(ShardRow row, InputSummary input, DataCard card, ExactDeduplicator deduplicator,
        JsonlShardWriter train, JsonlShardWriter validation, CancellationToken ct)
    {
        // 1. the deferred filters, in order, on the signatures (the first drop wins)
        for (int f = 0; f < this.filters.Deferred.Count; f++)
        {
            if (this.filters.Deferred[f].Decide(row.Id, row.Signatures[f]) is { } drop)
            {
                Drop(card, input, drop.Reason, drop.Detail, row);
                return null;
            }
        }

        // 2. exact duplicates of what is already kept
        if (!deduplicator.TryAdd(row.Hash))
        {
            Drop(card, input, ExactDeduplicator.DropReason, IngestionRun.DuplicateDetail, row);
            return null;
        }

        // 3. split and copy the line
        var split = DatasetSplitter.Assign(row.SplitKey, this.options.Seed, this.options.ValidationFraction);
        var writer = split == DatasetSplit.Train ? train : validation;
        await writer.WriteLineAsync(row.Json, ct).ConfigureAwait(false);
        if (split == DatasetSplit.Train) card.TrainRows++;
        else card.ValidationRows++;
        input.Kept++;
        card.RecordKept(row.Characters, row.Tokens);
        return writer;
    }

    private void Drop(DataCard card, InputSummary input, string reason, string detail, ShardRow row)
    {
        input.Dropped++;
        // Only a cited drop needs its text (for the excerpt); the line is parsed then and only then.
        card.RecordDrop(reason, detail, () => ExampleJson.Parse(row.Json.Span.TrimEnd((byte)'\n'), new SourceLocation(input.Path, row.Line)),
            this.options.MaxDropExamplesPerReason);
    }

    private static async Task CloseShardsAsync(DataCard card, JsonlShardWriter train, JsonlShardWriter validation, CancellationToken ct)
    {
        foreach (var (writer, split) in new[] { (train, DatasetSplit.Train), (validation, DatasetSplit.Validation) })
        {
            if (await writer.CloseShardAsync(ct).ConfigureAwait(false) is { } shard)
                card.Shards.Add(new ShardSummary(shard.Path, DatasetSplits.Name(split), shard.Rows));
        }
    }

    private sealed record MergeState(DataCard Card, ExactDeduplicator Deduplicator, int Shard, long Consumed, int TrainShards, int ValidationShards);

    private MergeState Start()
    {
        var card = new DataCard
        {
            Settings = new DataCardSettings(this.options.Seed, this.options.ValidationFraction, this.options.ShardSize, this.filters.All.Select(f => f.Name).ToList()),
            Inputs = this.options.Inputs.Select((input, i) => new InputSummary { Path = input.Name, Format = this.formats[i].Describe() }).ToList(),
        };
        return new MergeState(card, new ExactDeduplicator(), 0, 0, 0, 0);
    }

    private MergeState Resume(IngestionCheckpoint checkpoint)
    {
        if (checkpoint.OptionsFingerprint != this.fingerprint)
            throw new InvalidOperationException(
                $"The merge checkpoint was written for other shards or options (fingerprint {checkpoint.OptionsFingerprint}, now {this.fingerprint}); " +
                "resume with the same shards and options, or start the stage over.");
        foreach (var filter in this.filters.Deferred)
        {
            if (!checkpoint.FilterStates.TryGetValue(filter.Name, out var saved))
                throw new InvalidOperationException($"The merge checkpoint has no saved state for the filter '{filter.Name}'.");
            filter.RestoreState(saved);
        }
        return new MergeState(checkpoint.Card.Clone(), ExactDeduplicator.Import(checkpoint.SeenHashes), checkpoint.InputIndex,
            checkpoint.Position.Records, checkpoint.TrainShards, checkpoint.ValidationShards);
    }

    private IngestionCheckpoint Checkpoint(DataCard card, ExactDeduplicator deduplicator, int shard, long consumed,
        JsonlShardWriter train, JsonlShardWriter validation) => new()
    {
        OptionsFingerprint = this.fingerprint,
        InputIndex = shard,
        Position = new ReadPosition(consumed, 0, 0),
        TrainShards = train.ShardsWritten,
        ValidationShards = validation.ShardsWritten,
        Card = card.Clone(),
        SeenHashes = deduplicator.Export(),
        FilterStates = this.filters.Deferred.ToDictionary(f => f.Name, f => f.SaveState()),
    };

    /// <summary>Everything that shapes the output: options, filters, inputs and the shards in order.</summary>
    private string Fingerprint()
    {
        var text = new StringBuilder("sharded\n");
        for (int i = 0; i < this.options.Inputs.Count; i++)
            text.Append(CultureInfo.InvariantCulture, $"input={this.options.Inputs[i].Name}|{this.formats[i].Describe()}\n");
        text.Append(CultureInfo.InvariantCulture, $"validation={this.options.ValidationFraction:R}\nseed={this.options.Seed}\nshard={this.options.ShardSize}\n");
        text.Append(CultureInfo.InvariantCulture, $"bad={this.options.MaxReportedBadRows}\ndrops={this.options.MaxDropExamplesPerReason}\nmin={this.options.MinCharsPerMessage}\nmax={this.options.MaxCharsPerMessage}\n");
        foreach (var filter in this.filters.All) text.Append(CultureInfo.InvariantCulture, $"filter={filter.Name}\n");
        foreach (var shard in this.shards) text.Append(CultureInfo.InvariantCulture, $"shard={shard.InputIndex}|{shard.Name}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static async Task<DataCard> ReadCardAsync(Stream stream, string name, CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var json = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        try
        {
            return DataCard.FromJson(json);
        }
        catch (System.Text.Json.JsonException error)
        {
            throw new InvalidDataException($"{name}/{CleanedShardFiles.Card} is not a data card: {error.Message}", error);
        }
    }

    private static IReadOnlyList<string> Files(DataCard card, bool withCard) =>
        [.. card.Shards.Select(s => s.Path), .. withCard ? new[] { DatasetBuilder.DataCardJsonPath, DatasetBuilder.DataCardMarkdownPath } : []];

    private async Task WriteTextAsync(string path, string text, CancellationToken ct)
    {
        var stream = await sink.OpenWriteAsync(path, ct).ConfigureAwait(false);
        await using var streamScope = stream.ConfigureAwait(false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
    }

    private void Report(IProgress<IngestionProgress>? progress, DataCard card, int shardsDone)
    {
        // Progress counts cleaned shards merged (units, not bytes: the merge never sees the inputs' sizes).
        progress?.Report(new IngestionProgress(shardsDone, this.shards.Count, Math.Min(shardsDone, this.shards.Count - 1), "",
            card.RowsRead, card.TrainRows, card.ValidationRows));
    }
}
