using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Artifacts;
using Pipeline.Contracts;

namespace Pipeline.Orchestration.Stages;

/// <summary>
/// Runs one slice of a stage per delivery: claim the (RunId, stage) lease, run the worker until it finishes
/// or yields after a checkpoint, then publish the result or re-send the command for the next slice. The
/// delivery is acknowledged only after that, so a replica that dies mid-slice leaves it to be redelivered
/// and taken over from the latest checkpoint. Concurrency (one job per replica) is set on the endpoint.
/// A storage outage that outlasts the blob client's retries is not the stage's failure: the delivery is retried
/// (<see cref="StageConsumerDefinition{TCommand}.RetryIntervals"/>) and resumes from the latest checkpoint; only when
/// the last retry meets the outage too does the stage fail, with a reason that names the storage.
/// </summary>
public sealed partial class StageConsumer<TCommand>(
    IEnumerable<IStageWorker> workers,
    IArtifactStore artifacts,
    PipelineStateStore state,
    StageRuntimeOptions options,
    RunCancellationRegistry cancellations,
    StageSliceGate gate,
    BlobRetrySettings storageRetry,
    TimeProvider time,
    ILogger<StageConsumer<TCommand>> logger) : IConsumer<TCommand>
    where TCommand : class, IStageCommand
{
    private static readonly StageCatalog.Entry Entry = StageCatalog.ForCommand<TCommand>();

    public async Task Consume(ConsumeContext<TCommand> context)
    {
        try
        {
            await ConsumeSliceAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStorageOutage(ex) && context.GetRetryAttempt() < StageConsumerDefinition<TCommand>.RetryIntervals.Length)
        {
            LogStorageOutageRetried(ex, context.Message.RunId, Entry.Stage, context.GetRetryAttempt() + 1);
            throw;
        }
        catch (Exception ex) when (IsStorageOutage(ex))
        {
            // The outage outlasted every retry. The stage record lives in the same storage, so the failure travels
            // on the bus: the run manager records it (its own retries give the storage a little longer to return).
            var reason = StorageOutage.Describe(ex, artifacts.Location, storageRetry);
            LogStageFailed(ex, context.Message.RunId, Entry.Stage);
            await context.Publish(new StageFailed { RunId = context.Message.RunId, Stage = Entry.Stage, Reason = reason }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A storage outage, worth a redelivery; a stage's own failure is not one even when what it wraps is a connection
    /// error (an LLM judge's or generator's endpoint that did not answer), or its reason would blame the storage.
    /// </summary>
    private static bool IsStorageOutage(Exception ex) => ex is not StageFailedException && StorageOutage.IsOutage(ex);

    private async Task ConsumeSliceAsync(ConsumeContext<TCommand> context)
    {
        var command = context.Message;
        var stage = Entry.Stage;
        var worker = workers.FirstOrDefault(w => w.Stage == stage);
        if (worker is null)
        {
            await context.Publish(new StageFailed
            {
                RunId = command.RunId, Stage = stage,
                Reason = $"stage '{stage}' is not available in this build (no worker is registered for it).",
            }).ConfigureAwait(false);
            return;
        }

        using var inside = await gate.EnterAsync(command.RunId, stage, context.CancellationToken).ConfigureAwait(false);
        var (claim, lease, record) = await StageLease.ClaimAsync(state.Stages, command, stage, options, time, context.CancellationToken).ConfigureAwait(false);
        if (claim == StageClaimResult.AlreadyFinished)
        {
            LogDuplicateFinished(command.RunId, stage);
            await PublishFinishedAsync(context, record!).ConfigureAwait(false);
            return;
        }
        if (claim == StageClaimResult.Duplicate)
        {
            LogDuplicate(command.RunId, stage, command.Slice);
            StageMetrics.RecordSlice(stage, "duplicate", TimeSpan.Zero);
            return;
        }
        await RunSliceAsync(context, worker, lease!).ConfigureAwait(false);
    }

    private async Task RunSliceAsync(ConsumeContext<TCommand> context, IStageWorker worker, StageLease lease)
    {
        var command = context.Message;
        var stage = Entry.Stage;
        var started = Stopwatch.StartNew();
        using var activity = StageMetrics.ActivitySource.StartActivity($"stage {stage}");
        activity?.SetTag("run.id", command.RunId.ToString("N"));
        activity?.SetTag("stage.slice", command.Slice);

        using var cancel = cancellations.Register(command.RunId, context.CancellationToken);
        using var heartbeat = new CancellationTokenSource();
        var heartbeatTask = HeartbeatAsync(lease, cancel, heartbeat.Token);
        var resumed = lease.Record.LatestCheckpoint is not null;
        await context.Publish(new StageStarted
        {
            RunId = command.RunId, Stage = stage, Slice = command.Slice, Worker = options.WorkerId, ResumedFromCheckpoint = resumed, TookOverFrom = lease.TookOverFrom,
        }).ConfigureAwait(false);
        LogSliceStarted(command.RunId, stage, command.Slice, resumed);

        var scratch = Path.Combine(options.ScratchDirectory, $"{command.RunId:N}-{stage}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        var stageContext = new StageContext(command, stage, artifacts,
            new StageCheckpoints(artifacts, lease, StageArtifacts.Prefix(command.RunId, stage), StageContext.HashSettings(command.SettingsJson)),
            new StageProgressPublisher(context, command.RunId, stage, options.ProgressInterval, time),
            time.GetUtcNow() + options.SliceDuration, scratch, time);

        string outcomeName;
        try
        {
            var outcome = await worker.RunAsync(stageContext, cancel.Token).ConfigureAwait(false);
            outcomeName = await FinishAsync(context, lease, outcome).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The host is shutting down: hand the lease back so another replica need not wait it out,
            // and let the delivery return to the queue.
            await lease.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (cancel.IsCancellationRequested && ex is OperationCanceledException or StageLeaseLostException)
        {
            // The record may already say cancelled (the cancellation consumer marks it); either way the stage stops here.
            outcomeName = "cancelled";
            await lease.CancelAsync(CancellationToken.None).ConfigureAwait(false);
            await context.Publish(new StageCancelled { RunId = command.RunId, Stage = stage }).ConfigureAwait(false);
        }
        catch (StageLeaseLostException)
        {
            outcomeName = "lease-lost";
            LogLeaseLost(command.RunId, stage);
        }
        catch (Exception ex) when (!IsStorageOutage(ex))
        {
            outcomeName = "failed";
            var reason = ex is StageFailedException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            LogStageFailed(ex, command.RunId, stage);
            if (await lease.FailAsync(reason, CancellationToken.None).ConfigureAwait(false))
                await context.Publish(new StageFailed { RunId = command.RunId, Stage = stage, Reason = reason }).ConfigureAwait(false);
        }
        finally
        {
            await heartbeat.CancelAsync().ConfigureAwait(false);
            await heartbeatTask.ConfigureAwait(false);
            cancellations.Unregister(command.RunId, cancel);
            TryDelete(scratch);
        }
        StageMetrics.RecordSlice(stage, outcomeName, started.Elapsed);
        if (outcomeName is not "yielded") StageMetrics.Forget(command.RunId, stage);
    }

    private async Task<string> FinishAsync(ConsumeContext<TCommand> context, StageLease lease, StageOutcome outcome)
    {
        var command = context.Message;
        switch (outcome)
        {
            case StageOutcome.Completed done:
                if (!await lease.CompleteAsync(done.Outputs, done.Metrics, CancellationToken.None).ConfigureAwait(false))
                    throw new StageLeaseLostException(command.RunId, Entry.Stage);
                var completed = Entry.CreateCompleted(command.RunId, done.Outputs, done.Metrics);
                await context.Publish(completed, completed.GetType()).ConfigureAwait(false);
                LogCompleted(command.RunId, Entry.Stage);
                return "completed";
            case StageOutcome.Yielded:
                if (lease.Record.LatestCheckpoint is null)
                    throw new StageFailedException($"stage '{Entry.Stage}' yielded without saving a checkpoint; it would start over. This is a bug in the stage worker.");
                if (!await lease.YieldAsync(CancellationToken.None).ConfigureAwait(false))
                    throw new StageLeaseLostException(command.RunId, Entry.Stage);
                await context.Publish(Entry.CreateCommand(command.RunId, command.SettingsJson, command.Inputs, command.Slice + 1), Entry.CommandType).ConfigureAwait(false);
                return "yielded";
            default:
                throw new InvalidOperationException($"Unknown stage outcome {outcome.GetType().Name}.");
        }
    }

    /// <summary>Re-publishes a finished stage's result so a duplicate command still gets its answer.</summary>
    private async Task PublishFinishedAsync(ConsumeContext<TCommand> context, StageRecord record)
    {
        object message = record.Status switch
        {
            StageRecordStatus.Completed => Entry.CreateCompleted(record.RunId, record.Outputs, record.Metrics),
            StageRecordStatus.Failed => new StageFailed { RunId = record.RunId, Stage = record.Stage, Reason = record.FailureReason ?? "failed" },
            _ => new StageCancelled { RunId = record.RunId, Stage = record.Stage },
        };
        await context.Publish(message, message.GetType()).ConfigureAwait(false);
    }

    private async Task HeartbeatAsync(StageLease lease, CancellationTokenSource work, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatInterval, time, stop).ConfigureAwait(false);
                if (!await lease.RenewAsync(stop).ConfigureAwait(false))
                {
                    // The stage was cancelled or taken over: stop the local work at its next safe point.
                    await work.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A renewal that failed (storage unreachable past the client's retries) does not end the heartbeat: the
                // next one renews the lease once storage answers again, before another replica would take a live stage.
                LogHeartbeatFailed(ex, lease.Record.RunId, lease.Record.Stage);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [LoggerMessage(LogLevel.Information, "Run {RunId}: stage {Stage} slice {Slice} started (resumed from checkpoint: {Resumed})")]
    private partial void LogSliceStarted(Guid runId, string stage, int slice, bool resumed);

    [LoggerMessage(LogLevel.Information, "Run {RunId}: stage {Stage} completed")]
    private partial void LogCompleted(Guid runId, string stage);

    [LoggerMessage(LogLevel.Information, "Run {RunId}: stage {Stage} already finished; re-publishing its result")]
    private partial void LogDuplicateFinished(Guid runId, string stage);

    [LoggerMessage(LogLevel.Information, "Run {RunId}: stage {Stage} slice {Slice} is stale or owned by a live replica; dropped")]
    private partial void LogDuplicate(Guid runId, string stage, int slice);

    [LoggerMessage(LogLevel.Warning, "Run {RunId}: stage {Stage} was taken over by another replica; this one stopped")]
    private partial void LogLeaseLost(Guid runId, string stage);

    [LoggerMessage(LogLevel.Error, "Run {RunId}: stage {Stage} failed")]
    private partial void LogStageFailed(Exception ex, Guid runId, string stage);

    [LoggerMessage(LogLevel.Warning, "Run {RunId}: stage {Stage}: storage unreachable after the blob client's retries; the delivery is retried (retry {Retry}) and resumes from the latest checkpoint")]
    private partial void LogStorageOutageRetried(Exception ex, Guid runId, string stage, int retry);

    [LoggerMessage(LogLevel.Warning, "Run {RunId}: stage {Stage} heartbeat failed")]
    private partial void LogHeartbeatFailed(Exception ex, Guid runId, string stage);
}
