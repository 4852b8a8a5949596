using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Orchestration.Runs;

/// <summary>
/// The process manager of a run (the "PipelineRun saga"): it sends each configured stage's command and
/// advances on that stage's completed or failed event. Its state is a <see cref="RunRecord"/> in the
/// document store, written with optimistic concurrency, so it survives a restart of this process.
/// Every handler is safe to run twice: state changes are idempotent, and the follow-up message is
/// re-published on a duplicate (a duplicate stage command is dropped by the stage's own lease).
/// </summary>
public sealed partial class PipelineRunManager(PipelineStateStore state, TimeProvider time, ILogger<PipelineRunManager> logger) :
    IConsumer<StartPipelineRun>,
    IConsumer<StageStarted>,
    IConsumer<StageProgressed>,
    IConsumer<IStageCompleted>,
    IConsumer<StageFailed>,
    IConsumer<CancelPipelineRun>
{
    public async Task Consume(ConsumeContext<StartPipelineRun> context)
    {
        var message = context.Message;
        RunPlan plan;
        try
        {
            plan = RunPlanner.Plan(message.ConfigYaml, $"run {message.RunId:N}");
        }
        catch (RunPlanException ex)
        {
            // Keep a record of the refused run, so that whoever follows it sees why it stopped.
            await state.Runs.TryCreateAsync(message.RunId.ToString("N"),
                RunTransitions.Refused(message.RunId, message.ConfigYaml, ex.Message, time.GetUtcNow()), context.CancellationToken).ConfigureAwait(false);
            await context.Publish(new PipelineRunFailed { RunId = message.RunId, Stage = "config", Reason = ex.Message }).ConfigureAwait(false);
            return;
        }

        var record = RunTransitions.Create(message.RunId, plan.Name, message.ConfigYaml, plan.Stages, plan.Inputs, time.GetUtcNow());
        if (await state.Runs.TryCreateAsync(message.RunId.ToString("N"), record, context.CancellationToken).ConfigureAwait(false))
        {
            LogRunStarted(message.RunId, plan.Name, string.Join(", ", plan.Stages));
            await context.Publish(new PipelineRunStarted { RunId = message.RunId, Stages = plan.Stages }).ConfigureAwait(false);
        }
        else
        {
            (record, _) = await state.Runs.GetAsync(message.RunId.ToString("N"), context.CancellationToken).ConfigureAwait(false);
        }
        await DispatchCurrentStageAsync(context, record!).ConfigureAwait(false);
    }

    public Task Consume(ConsumeContext<StageStarted> context) =>
        UpdateAsync(context.Message.RunId, r => RunTransitions.StageStarted(r, context.Message, time.GetUtcNow()), context.CancellationToken);

    public Task Consume(ConsumeContext<StageProgressed> context) =>
        UpdateAsync(context.Message.RunId, r => RunTransitions.Progressed(r, context.Message, time.GetUtcNow()), context.CancellationToken);

    public async Task Consume(ConsumeContext<IStageCompleted> context)
    {
        var e = context.Message;
        var run = await UpdateAsync(e.RunId, r => RunTransitions.StageCompleted(r, e, time.GetUtcNow()), context.CancellationToken).ConfigureAwait(false);
        if (run is null || run.Find(e.Stage)?.State != StageState.Completed) return;
        LogStageCompleted(e.RunId, e.Stage);

        // Follow-ups are derived from the stored record, so a redelivered event re-sends them.
        var index = run.Stages.FindIndex(s => s.Stage == e.Stage);
        if (index + 1 < run.Stages.Count)
        {
            if (run.Stages[index + 1].State == StageState.Running) await DispatchCurrentStageAsync(context, run).ConfigureAwait(false);
        }
        else if (run.State == RunState.Completed)
        {
            LogRunCompleted(e.RunId);
            await context.Publish(new PipelineRunCompleted { RunId = e.RunId, Artifacts = run.Artifacts }).ConfigureAwait(false);
        }
    }

    public async Task Consume(ConsumeContext<StageFailed> context)
    {
        var e = context.Message;
        var run = await UpdateAsync(e.RunId, r => RunTransitions.StageFailed(r, e, time.GetUtcNow()), context.CancellationToken).ConfigureAwait(false);
        if (run is { State: RunState.Failed } && run.FailedStage == e.Stage)
        {
            LogRunFailed(e.RunId, e.Stage, e.Reason);
            await context.Publish(new PipelineRunFailed { RunId = e.RunId, Stage = e.Stage, Reason = e.Reason }).ConfigureAwait(false);
        }
    }

    public async Task Consume(ConsumeContext<CancelPipelineRun> context)
    {
        var e = context.Message;
        var run = await UpdateAsync(e.RunId, r => RunTransitions.Cancelled(r, e.Reason, time.GetUtcNow()), context.CancellationToken).ConfigureAwait(false);
        if (run is { State: RunState.Cancelled })
            await context.Publish(new PipelineRunCancelled { RunId = e.RunId, Reason = e.Reason }).ConfigureAwait(false);
    }

    private async Task DispatchCurrentStageAsync(IPublishEndpoint publish, RunRecord run)
    {
        if (run.State != RunState.Running || run.Current is not { } current) return;
        var plan = RunPlanner.Plan(run.ConfigYaml, $"run {run.RunId:N}");
        var entry = StageCatalog.For(current.Stage);
        var command = entry.CreateCommand(run.RunId, plan.SettingsJson[current.Stage], run.Artifacts, 0);
        await publish.Publish(command, entry.CommandType).ConfigureAwait(false);
    }

    private Task<RunRecord?> UpdateAsync(Guid runId, Func<RunRecord, RunRecord?> change, CancellationToken ct) =>
        state.Runs.UpdateAsync(runId.ToString("N"), r => r is null ? null : change(r), ct);

    [LoggerMessage(LogLevel.Information, "Run {RunId} ({Name}) started: {Stages}")]
    private partial void LogRunStarted(Guid runId, string name, string stages);

    [LoggerMessage(LogLevel.Information, "Run {RunId}: stage {Stage} completed")]
    private partial void LogStageCompleted(Guid runId, string stage);

    [LoggerMessage(LogLevel.Information, "Run {RunId} completed")]
    private partial void LogRunCompleted(Guid runId);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} failed in stage {Stage}: {Reason}")]
    private partial void LogRunFailed(Guid runId, string stage, string reason);
}
