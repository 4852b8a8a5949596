using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Artifacts;
using Pipeline.Configuration;
using Pipeline.Configuration.Ingest;
using Pipeline.Contracts;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Ingestion.ShardMerge;
using Pipeline.Data.Readers;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion.ShardCoordination;

/// <summary>
/// The ingest stage's coordinator for a large input, in slices like any stage: 1. cut the input into shards and
/// checkpoint the plan; 2. publish one <see cref="CleanIngestShard"/> per shard, which every ingestion replica
/// competes for; 3. wait, slice after slice, until every shard's output is committed; 4. merge the cleaned
/// shards in input order from hashes and signatures (<see cref="ShardedDatasetMerger"/>), checkpointing at every
/// output shard, and assemble the dataset artifact as the single pass does.
/// </summary>
public sealed partial class ShardedIngestion(IBus bus, ILogger<ShardedIngestion> logger)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(2);

    /// <summary>Starts a sharded run when the inputs are worth sharding; null leaves them to the single pass.</summary>
    internal async Task<StageOutcome?> TryStartAsync(StageContext context, IngestSettings settings, IReadOnlyList<FetchedInput> inputs, CancellationToken ct)
    {
        var options = IngestionSettingsMapper.ToOptions(settings, [.. inputs.Select(i => i.Input)]);
        if (ShardFilters.TrySplit(options, IngestionSettingsMapper.Filters(settings)) is null) return null;
        var plan = await ShardPlanner.PlanAsync(context, settings, inputs, ct).ConfigureAwait(false);
        if (plan is null) return null;
        LogPlanned(context.RunId, plan.Shards.Count, plan.Inputs.Count, settings.ParallelShardBytes);
        await ShardedIngestionCheckpoint.SaveAsync(context.Checkpoints, plan, ct).ConfigureAwait(false);
        return await ContinueAsync(context, settings, new ShardedIngestionCheckpoint.State(plan, null, new Dictionary<string, string>()), ct).ConfigureAwait(false);
    }

    internal async Task<StageOutcome> ContinueAsync(StageContext context, IngestSettings settings, ShardedIngestionCheckpoint.State state, CancellationToken ct)
    {
        var plan = state.Plan;
        if (!plan.Published)
        {
            // A coordinator that died while publishing left some unsent: send all (a duplicate is only announced again).
            foreach (var shard in plan.Shards)
                await bus.Publish(Command(context, plan, shard), ct).ConfigureAwait(false);
            plan = plan with { Published = true };
            await ShardedIngestionCheckpoint.SaveAsync(context.Checkpoints, plan, ct).ConfigureAwait(false);
        }
        if (state.Merge is null && !await WaitForShardsAsync(context, plan, ct).ConfigureAwait(false))
            return StageOutcome.Continue();
        return await MergeAsync(context, settings, plan, state, ct).ConfigureAwait(false);
    }

    private static CleanIngestShard Command(StageContext context, ShardPlan plan, PlannedShard shard)
    {
        var format = plan.FormatOf(shard);
        return new CleanIngestShard
        {
            RunId = context.RunId,
            ShardIndex = shard.Index,
            ShardCount = plan.Shards.Count,
            SettingsJson = context.SettingsJson,
            Input = new ArtifactRef(shard.ArtifactId, ArtifactKind.Dataset),
            InputFile = shard.File,
            InputName = plan.Inputs[shard.InputIndex].Name,
            RecordFormat = DataFormats.Name(format.RecordFormat),
            Container = format.Container.ToString(),
            FirstLine = shard.FirstLine,
            OutputId = ShardArtifacts.OutputId(context.RunId, shard.Index),
        };
    }

    /// <summary>True once every shard is committed; false when the slice is up first (the plan is checkpointed already).</summary>
    private async Task<bool> WaitForShardsAsync(StageContext context, ShardPlan plan, CancellationToken ct)
    {
        var pending = plan.Shards.ToList();
        var poll = FirstPoll;
        while (true)
        {
            int before = pending.Count;
            foreach (var shard in pending.ToList())
            {
                var output = await context.Artifacts.TryGetManifestAsync(ShardArtifacts.OutputId(context.RunId, shard.Index), ct).ConfigureAwait(false);
                if (output is null) continue;
                if (output.FindFile(ShardArtifacts.FailureFile) is not null)
                {
                    var reason = await context.Artifacts.ReadAllTextAsync(output.Id, ShardArtifacts.FailureFile, ct).ConfigureAwait(false);
                    throw new StageFailedException(
                        $"ingest: shard {shard.Index + 1} of {plan.Shards.Count} ({plan.Inputs[shard.InputIndex].Name} from line {shard.FirstLine}) could not be cleaned: {reason}");
                }
                pending.Remove(shard);
            }
            int done = plan.Shards.Count - pending.Count;
            context.Progress.Report(0.9 * done / plan.Shards.Count, done, plan.Shards.Count, $"{done} of {plan.Shards.Count} shards cleaned");
            if (pending.Count == 0) return true;
            if (context.ShouldYield) return false;
            poll = pending.Count < before ? FirstPoll : TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LongestPoll.Ticks));
            await Task.Delay(poll, ct).ConfigureAwait(false);
        }
    }

    private async Task<StageOutcome> MergeAsync(StageContext context, IngestSettings settings, ShardPlan plan, ShardedIngestionCheckpoint.State state, CancellationToken ct)
    {
        // The inputs by name only: the merge never reads them, only their cleaned shards.
        var options = IngestionSettingsMapper.ToOptions(settings, [.. plan.Inputs.Select(i => new DatasetInput(i.Name, i.RecordFormat, i.Name))]);
        var filters = ShardFilters.TrySplit(options, IngestionSettingsMapper.Filters(settings))
            ?? throw new StageFailedException("ingest: this run was sharded, but its filters can no longer be split into per-shard and merge steps; start it over.");
        var sink = new StagingArtifactSink(context.Artifacts, $"{context.ArtifactPrefix}/staging", context.ScratchDirectory, context.RunId);
        sink.Restore(state.Files);
        if (state.Merge is { } resumed) LogMergeResuming(context.RunId, resumed.InputIndex, plan.Shards.Count);

        var sources = plan.Shards.Select(shard => new CleanedShardSource(shard.InputIndex, ShardArtifacts.OutputId(context.RunId, shard.Index),
            (file, token) => OpenCleanedAsync(context.Artifacts, ShardArtifacts.OutputId(context.RunId, shard.Index), file, token))).ToList();
        var merger = new ShardedDatasetMerger(options, sink, filters, [.. plan.Inputs.Select(i => i.Format)], sources);
        var progress = new SynchronousProgress<IngestionProgress>(p => context.Progress.Report(0.9 + 0.1 * p.Fraction, p.RowsRead, 0,
            $"merging: {p.BytesRead} of {p.TotalBytes} shards, {p.TrainRows + p.ValidationRows:N0} kept",
            new Dictionary<string, double> { ["rows_read"] = p.RowsRead, ["rows_kept"] = p.TrainRows + p.ValidationRows }));
        var result = await merger.RunAsync(state.Merge,
            checkpoint => ShardedIngestionCheckpoint.SaveAsync(context.Checkpoints, plan, checkpoint, sink.Files, ct),
            progress, () => context.ShouldYield, ct).ConfigureAwait(false);
        if (!result.Completed) return StageOutcome.Continue();
        LogMerged(context.RunId, plan.Shards.Count, result.Card.TrainRows + result.Card.ValidationRows);
        return await IngestionCompletion.FinishAsync(context, result, sink.Files, ct).ConfigureAwait(false);
    }

    /// <summary>A file of a cleaned shard: the committed output names the one attempt that holds the files.</summary>
    private static async Task<Stream> OpenCleanedAsync(IArtifactStore artifacts, string outputId, string file, CancellationToken ct)
    {
        var output = await artifacts.GetManifestAsync(outputId, ct).ConfigureAwait(false);
        if (output.Parents.Count != 1)
            throw new StageFailedException($"ingest: the cleaned shard '{outputId}' names {output.Parents.Count} attempts; it should name exactly one.");
        return await artifacts.OpenReadAsync(output.Parents[0], file, ct).ConfigureAwait(false);
    }

    [LoggerMessage(LogLevel.Information, "Run {RunId}: input cut into {Shards} shards of about {ShardBytes} bytes ({Inputs} inputs) for the ingestion replicas")]
    private partial void LogPlanned(Guid runId, int shards, int inputs, long shardBytes);

    [LoggerMessage(LogLevel.Information, "Run {RunId}: the merge resumes at cleaned shard {Shard} of {Shards}")]
    private partial void LogMergeResuming(Guid runId, int shard, int shards);

    [LoggerMessage(LogLevel.Information, "Run {RunId}: {Shards} cleaned shards merged; {Kept} examples kept")]
    private partial void LogMerged(Guid runId, int shards, long kept);
}
