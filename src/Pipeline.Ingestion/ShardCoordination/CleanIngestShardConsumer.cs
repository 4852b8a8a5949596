using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Artifacts;
using Pipeline.Cleaning.ShardCleaning;
using Pipeline.Configuration;
using Pipeline.Configuration.Ingest;
using Pipeline.Configuration.Json;
using Pipeline.Contracts;
using Pipeline.Data.Ingestion.ShardMerge;
using Pipeline.Data.Readers;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion.ShardCoordination;

/// <summary>
/// Cleans one shard of a large ingest input (<see cref="ShardCleaner"/>, on every core) and commits it exactly once:
/// the files go to an artifact of this attempt's own, then the shard's fixed output id is committed (create-if-absent)
/// naming that attempt. A duplicate or redelivered command finds the output committed and only announces it; a
/// replica that dies mid-shard commits nothing under the output id, so the redelivered command redoes the shard.
/// </summary>
public sealed partial class CleanIngestShardConsumer(IArtifactStore artifacts, StageRuntimeOptions runtime, ILogger<CleanIngestShardConsumer> logger)
    : IConsumer<CleanIngestShard>
{
    public async Task Consume(ConsumeContext<CleanIngestShard> context)
    {
        var command = context.Message;
        var ct = context.CancellationToken;
        if (await artifacts.TryGetManifestAsync(command.OutputId, ct).ConfigureAwait(false) is { } committed)
        {
            LogAlreadyCleaned(command.RunId, command.ShardIndex + 1, command.ShardCount);
            await AnnounceAsync(context, committed, null).ConfigureAwait(false);
            return;
        }

        LogCleaning(command.RunId, command.ShardIndex + 1, command.ShardCount, runtime.WorkerId);
        var scratch = Path.Combine(runtime.ScratchDirectory, $"{command.RunId:N}-shard{command.ShardIndex:D5}-{Guid.NewGuid():N}");
        try
        {
            ShardCleaningResult result;
            try
            {
                result = await CleanAsync(command, scratch, ct).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException
                                          && (IsAboutTheData(error) || context.GetRetryAttempt() >= CleanIngestShardConsumerDefinition.Retries))
            {
                // The data (or every retry) says no: record that once, so the coordinator fails the stage with the reason.
                await CommitFailureAsync(command, error.Message, ct).ConfigureAwait(false);
                await AnnounceAsync(context, await artifacts.GetManifestAsync(command.OutputId, ct).ConfigureAwait(false), null).ConfigureAwait(false);
                return;
            }
            var output = await CommitAsync(command, scratch, ct).ConfigureAwait(false);
            LogCleaned(command.RunId, command.ShardIndex + 1, command.ShardCount, result.RowsRead, result.Candidates);
            await AnnounceAsync(context, output, result).ConfigureAwait(false);
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); }
            catch (DirectoryNotFoundException) { }
            catch (IOException) { }
        }
    }

    private async Task<ShardCleaningResult> CleanAsync(CleanIngestShard command, string scratch, CancellationToken ct)
    {
        // 1. the shard's bytes, verified against their artifact as they are copied
        Directory.CreateDirectory(scratch);
        var local = Path.Combine(scratch, "input");
        await artifacts.CopyFileToAsync(command.Input.Id, command.InputFile, local, ct).ConfigureAwait(false);

        // 2. the run's own options and filters, so the shard decides as the single pass would
        var settings = StageSettingsJson.Deserialize<IngestSettings>(command.SettingsJson);
        var format = new DetectedFormat(DataFormats.Parse(command.RecordFormat), Enum.Parse<DataContainer>(command.Container));
        var options = IngestionSettingsMapper.ToOptions(settings, [new DatasetInput(local, format.RecordFormat, command.InputName)]);
        var filters = ShardFilters.TrySplit(options, IngestionSettingsMapper.Filters(settings))
            ?? throw new InvalidDataException("the run's filters cannot be split into per-shard and merge steps");

        // 3. clean on every core
        return await new ShardCleaner(options, filters)
            .CleanAsync(new ShardSource(local, format, command.InputName, command.FirstLine), Path.Combine(scratch, "cleaned"), ct).ConfigureAwait(false);
    }

    private async Task<ArtifactManifest> CommitAsync(CleanIngestShard command, string scratch, CancellationToken ct)
    {
        var attemptId = ShardArtifacts.AttemptId(command.RunId, command.ShardIndex);
        {
            var attempt = await artifacts.CreateAsync(attemptId, Info(command, [command.Input.Id]), ct).ConfigureAwait(false);
            await using (attempt.ConfigureAwait(false))
            {
                foreach (var file in CleanedShardFiles.All)
                    await attempt.AddFileAsync(file, Path.Combine(scratch, "cleaned", file), ct).ConfigureAwait(false);
                await attempt.CommitAsync(ct).ConfigureAwait(false);
            }
        }
        try
        {
            var output = await artifacts.CreateAsync(command.OutputId, Info(command, [attemptId]), ct).ConfigureAwait(false);
            await using var outputScope = output.ConfigureAwait(false);
            return await output.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (ArtifactAlreadyExistsException)
        {
            // A duplicate of this command committed first; its output stands and this attempt stays unreferenced.
            LogLostRace(command.RunId, command.ShardIndex + 1, command.ShardCount);
            return await artifacts.GetManifestAsync(command.OutputId, ct).ConfigureAwait(false);
        }
    }

    private async Task CommitFailureAsync(CleanIngestShard command, string reason, CancellationToken ct)
    {
        LogFailed(command.RunId, command.ShardIndex + 1, command.ShardCount, reason);
        try
        {
            var output = await artifacts.CreateAsync(command.OutputId, Info(command, []), ct).ConfigureAwait(false);
            await using var outputScope = output.ConfigureAwait(false);
            await output.WriteAllTextAsync(ShardArtifacts.FailureFile, reason, ct).ConfigureAwait(false);
            await output.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (ArtifactAlreadyExistsException)
        {
        }
    }

    private static ArtifactInfo Info(CleanIngestShard command, IReadOnlyList<string> parents) => new()
    {
        Kind = ArtifactKind.Dataset,
        ProducerStage = StageNames.Ingest,
        RunId = command.RunId,
        ConfigHash = StageContext.HashSettings(command.SettingsJson),
        Parents = parents,
    };

    private static Task AnnounceAsync(ConsumeContext<CleanIngestShard> context, ArtifactManifest output, ShardCleaningResult? result) =>
        context.Publish(new IngestShardCleaned
        {
            RunId = context.Message.RunId,
            ShardIndex = context.Message.ShardIndex,
            Output = new ArtifactRef(output.Id, ArtifactKind.Dataset),
            RowsRead = result?.RowsRead ?? 0,
            Candidates = result?.Candidates ?? 0,
            Failure = output.FindFile(ShardArtifacts.FailureFile) is null ? null : "see " + output.Id + "/" + ShardArtifacts.FailureFile,
        });

    /// <summary>Errors that another attempt would meet again: the input is not what the run says, or its bytes are corrupt.</summary>
    private static bool IsAboutTheData(Exception error) =>
        error is DataFormatException or InvalidDataException or ArtifactCorruptException or ArtifactNotFoundException or FormatException;

    [LoggerMessage(LogLevel.Information, "Run {RunId}: cleaning shard {Shard} of {Shards} on {Worker}")]
    private partial void LogCleaning(Guid runId, int shard, int shards, string worker);

    [LoggerMessage(LogLevel.Information, "Run {RunId}: shard {Shard} of {Shards} cleaned: {Rows} rows read, {Candidates} passed on")]
    private partial void LogCleaned(Guid runId, int shard, int shards, long rows, long candidates);

    [LoggerMessage(LogLevel.Information, "Run {RunId}: shard {Shard} of {Shards} was already cleaned; announced again")]
    private partial void LogAlreadyCleaned(Guid runId, int shard, int shards);

    [LoggerMessage(LogLevel.Information, "Run {RunId}: shard {Shard} of {Shards} was cleaned by a duplicate first; its output stands")]
    private partial void LogLostRace(Guid runId, int shard, int shards);

    [LoggerMessage(LogLevel.Warning, "Run {RunId}: shard {Shard} of {Shards} cannot be cleaned: {Reason}")]
    private partial void LogFailed(Guid runId, int shard, int shards, string reason);
}

/// <summary>
/// The shard queue: competing consumers, one shard at a time per replica (prefetch 1, concurrency 1), since a
/// shard already uses every core. Storage and broker hiccups are retried; the consumer records a failure after the last.
/// </summary>
public sealed class CleanIngestShardConsumerDefinition : ConsumerDefinition<CleanIngestShardConsumer>
{
    public const string QueueName = "ingest-shards";
    public const int Retries = 3;

    public CleanIngestShardConsumerDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CleanIngestShardConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 1;
        endpointConfigurator.UseMessageRetry(r => r.Intervals(1000, 5000, 15000));
    }
}
