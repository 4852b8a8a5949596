using Microsoft.Extensions.Logging;
using Pipeline.Configuration;
using Pipeline.Configuration.Ingest;
using Pipeline.Configuration.Json;
using Pipeline.Contracts;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Readers;
using Pipeline.Ingestion.ShardCoordination;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion;

/// <summary>
/// The ingest stage: fetch the run's raw files from the artifact store, build the dataset in slices
/// (checkpoint at every shard), and publish one verified dataset artifact: JSONL shards plus the data card.
/// Inputs larger than <see cref="IngestSettings.ParallelShardBytes"/> are cleaned in shards by every replica
/// (<see cref="ShardedIngestion"/>); the dataset is the same either way.
/// </summary>
public sealed partial class IngestionStageWorker(ShardedIngestion sharded, ILogger<IngestionStageWorker> logger) : IStageWorker
{
    public string Stage => StageNames.Ingest;

    public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = StageSettingsJson.Deserialize<IngestSettings>(context.SettingsJson);

        // 0. a sharded run goes on as one; its inputs are in its shards, not fetched again
        if (await ShardedIngestionCheckpoint.LoadAsync(context.Checkpoints, ct).ConfigureAwait(false) is { } shardedState)
            return await sharded.ContinueAsync(context, settings, shardedState, ct).ConfigureAwait(false);

        // 1. inputs, fetched to a folder named after the run so every replica sees the same paths
        var fetched = await InputFetcher.FetchAsync(context, settings, ct).ConfigureAwait(false);
        if (context.Checkpoints.LatestId is null && await sharded.TryStartAsync(context, settings, fetched, ct).ConfigureAwait(false) is { } started)
            return started;
        var inputs = fetched.Select(f => f.Input).ToList();
        var options = IngestionSettingsMapper.ToOptions(settings, inputs);
        var filters = IngestionSettingsMapper.Filters(settings);

        // 2. where we left off, if anywhere
        var sink = new StagingArtifactSink(context.Artifacts, $"{context.ArtifactPrefix}/staging", context.ScratchDirectory, context.RunId);
        var resume = await IngestionStageCheckpoint.LoadAsync(context.Checkpoints, ct).ConfigureAwait(false);
        if (resume is { } r)
        {
            sink.Restore(r.Files);
            LogResuming(context.RunId, r.State.Card.RowsRead, r.Files.Count);
        }

        // 3. build, checkpointing at every shard and yielding when the slice is up
        var builder = new DatasetBuilder(options, sink, filters);
        var progress = new SynchronousProgress<IngestionProgress>(p => context.Progress.Report(p.Fraction, p.RowsRead, 0,
            $"{p.RowsRead:N0} rows read, {p.TrainRows + p.ValidationRows:N0} kept",
            new Dictionary<string, double> { ["rows_read"] = p.RowsRead, ["rows_kept"] = p.TrainRows + p.ValidationRows }));
        IngestionResult result;
        try
        {
            result = await builder.RunAsync(resume?.State,
                checkpoint => IngestionStageCheckpoint.SaveAsync(context.Checkpoints, checkpoint, sink.Files, ct),
                progress, () => context.ShouldYield, ct).ConfigureAwait(false);
        }
        catch (DataFormatException error)
        {
            // A file that is not what the config says: the message names the file, the format expected and what was found.
            throw new StageFailedException(error.Message, error);
        }
        if (!result.Completed) return StageOutcome.Continue();

        // 4. the dataset artifact, assembled from the staged files (each verified as it is copied)
        return await IngestionCompletion.FinishAsync(context, result, sink.Files, ct).ConfigureAwait(false);
    }

    [LoggerMessage(LogLevel.Information, "Run {RunId}: ingestion resumes from a checkpoint after {Rows} rows ({Files} files already staged)")]
    private partial void LogResuming(Guid runId, long rows, int files);
}

/// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, which would reorder reports).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
