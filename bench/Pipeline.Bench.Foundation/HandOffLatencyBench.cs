using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Artifacts;
using Pipeline.Artifacts.State;
using Pipeline.Contracts;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Stages;
using Pipeline.Orchestration.State;

namespace Pipeline.Bench.Foundation;

/// <summary>How many hand-offs to time; every one is sequential (one message in flight).</summary>
public sealed record HandOffOptions
{
    /// <summary>Timed iterations of each measurement. Default 200: enough for a p99 that rests on two samples.</summary>
    public int Iterations { get; init; } = 200;

    /// <summary>Untimed iterations first (JIT, connection pools, queue and container creation). Default 20.</summary>
    public int WarmUp { get; init; } = 20;

    /// <summary>How long one reply may take before the benchmark stops with an error. Default 30 s.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// A stage hand-off with its state in <see cref="StateStore"/>, beside what it is made of, timed in the same host:
/// the raw broker round trip, and the stage-record requests alone.
/// </summary>
public sealed record HandOffResult(string StateStore, LatencySummary RawRoundTrip, LatencySummary StateRequests, LatencySummary StageHandOff);

/// <summary>
/// Time from publishing a stage command to consuming its completed event, through the real stage runtime
/// (lease claimed in the document store, StageStarted, completion record, completed event), against a
/// ping→pong round trip over the same broker and bus, and against the stage-record requests of a hand-off made
/// directly (no messaging). The three are interleaved iteration by iteration so that drift on a shared machine
/// lands on all of them.
/// </summary>
public static class HandOffLatencyBench
{
    public static async Task<IReadOnlyList<HandOffResult>> RunAsync(
        BenchEnvironment environment, string runSuffix, string workDirectory, HandOffOptions options, CancellationToken ct)
    {
        await using var vhost = await RabbitMqVirtualHost.CreateAsync(
            environment.RabbitMq, environment.RabbitMqManagement, $"pipeline-bench-{runSuffix}", ct).ConfigureAwait(false);
        var results = new List<HandOffResult>();

        // The distributed wiring: run and stage records in Azurite. Unique containers, deleted afterwards.
        var artifactsContainer = $"bench-{runSuffix}-artifacts";
        var stateContainer = ArtifactStoreFactory.CreateContainerClient(environment.Blob, $"bench-{runSuffix}-state");
        try
        {
            var storage = environment.Blob.TrimEnd().TrimEnd(';') + $";ContainerName={artifactsContainer};";
            results.Add(await MeasureAsync("Azurite blob", vhost.AmqpUri, storage, new BlobDocumentStore(stateContainer), workDirectory, options, ct)
                .ConfigureAwait(false));
        }
        finally
        {
            await stateContainer.DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            await ArtifactStoreFactory.CreateContainerClient(environment.Blob, artifactsContainer)
                .DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }

        // The embedded wiring's state: a local folder (removed with the work directory).
        results.Add(await MeasureAsync("local folder", vhost.AmqpUri, Path.Combine(workDirectory, "stage-store"), null, workDirectory, options, ct)
            .ConfigureAwait(false));
        return results;
    }

    private static async Task<HandOffResult> MeasureAsync(string stateStore, string amqp, string storage, IDocumentStore? stateOverride,
        string workDirectory, HandOffOptions options, CancellationToken ct)
    {
        await using var provider = BuildHost(amqp, storage, stateOverride, Path.Combine(workDirectory, "scratch"));
        var board = provider.GetRequiredService<ArrivalBoard>();
        var records = provider.GetRequiredService<PipelineStateStore>().Stages;
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(ct).ConfigureAwait(false);
        try
        {
            var raw = new List<TimeSpan>(options.Iterations);
            var state = new List<TimeSpan>(options.Iterations);
            var stage = new List<TimeSpan>(options.Iterations);
            for (var i = 0; i < options.WarmUp + options.Iterations; i++)
            {
                var ping = Guid.NewGuid();
                var rawTime = await TimeAsync(board, ping, () => bus.Publish(new BenchPing { Id = ping }, ct),
                    $"BenchPong for ping {ping}", options.ReplyTimeout, ct).ConfigureAwait(false);
                var stateTime = await TimeStateRequestsAsync(records, ct).ConfigureAwait(false);
                var runId = Guid.NewGuid();
                var stageTime = await TimeAsync(board, runId, () => bus.Publish(new RunIngestion { RunId = runId, SettingsJson = "{}" }, ct),
                    $"DatasetPrepared for run {runId} (state in {stateStore})", options.ReplyTimeout, ct).ConfigureAwait(false);
                if (i < options.WarmUp) continue;
                raw.Add(rawTime);
                state.Add(stateTime);
                stage.Add(stageTime);
            }
            return new HandOffResult(stateStore, Percentiles.Summarize(raw), Percentiles.Summarize(state), Percentiles.Summarize(stage));
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>A stage host as the services wire it (AddPipelineStorage + AddPipelineBus), plus the benchmark's own consumers.</summary>
    private static ServiceProvider BuildHost(string amqp, string storage, IDocumentStore? stateOverride, string scratch)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<ArrivalBoard>();
        services.AddSingleton<IStageWorker, ImmediateIngestWorker>();
        services.AddPipelineStorage(storage, new StageRuntimeOptions { ScratchDirectory = scratch });
        // AddPipelineStorage puts state in the shared "pipeline-state" container; the benchmark uses its own.
        if (stateOverride is not null) services.AddSingleton(stateOverride);
        services.AddPipelineBus(amqp, runManager: false, [StageNames.Ingest], x =>
        {
            x.AddConsumer<PingConsumer>();
            x.AddConsumer<PongListener>().Endpoint(e => e.Temporary = true);
            x.AddConsumer<StageCompletionListener>().Endpoint(e => e.Temporary = true);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// The stage-record requests of one hand-off, made directly: the claim (read, finding nothing, then
    /// create-if-absent) and the completion (read, then replace if the ETag still matches).
    /// </summary>
    private static async Task<TimeSpan> TimeStateRequestsAsync(JsonDocumentCollection<StageRecord> records, CancellationToken ct)
    {
        var runId = Guid.NewGuid();
        var id = StageRecord.Id(runId, "bench-probe");
        var start = Stopwatch.GetTimestamp();
        var (existing, _) = await records.GetAsync(id, ct).ConfigureAwait(false);
        var claimed = existing is null && await records.TryCreateAsync(id,
            new StageRecord { RunId = runId, Stage = "bench-probe", Owner = "bench", LeaseUntil = DateTimeOffset.UtcNow.AddSeconds(30), Attempts = 1 }, ct)
            .ConfigureAwait(false);
        var completed = await records.UpdateAsync(id, r => r! with { Status = StageRecordStatus.Completed, Owner = null }, ct).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (!claimed || completed?.Status != StageRecordStatus.Completed)
            throw new InvalidOperationException($"The stage-record probe '{id}' was not created and completed as expected (claimed: {claimed}, status: {completed?.Status}).");
        return elapsed;
    }

    private static async Task<TimeSpan> TimeAsync(ArrivalBoard board, Guid id, Func<Task> publish, string awaited,
        TimeSpan timeout, CancellationToken ct)
    {
        var arrival = board.Expect(id);
        var start = Stopwatch.GetTimestamp();
        try
        {
            await publish().ConfigureAwait(false);
            var end = await arrival.WaitAsync(timeout, ct).ConfigureAwait(false);
            return Stopwatch.GetElapsedTime(start, end);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No {awaited} arrived within {timeout.TotalSeconds:0} s of publishing; the consumer is not running or the broker is stuck.");
        }
        finally
        {
            board.Forget(id);
        }
    }
}
