using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Orchestration.Stages;

/// <summary>
/// Every stage replica hears every cancellation (its own temporary queue): it marks the run's unfinished
/// stage records cancelled, so queued continuations are dropped, and stops the run's work if it runs here.
/// </summary>
public sealed class RunCancelledConsumer(PipelineStateStore state, RunCancellationRegistry cancellations)
    : IConsumer<PipelineRunCancelled>
{
    public async Task Consume(ConsumeContext<PipelineRunCancelled> context)
    {
        var runId = context.Message.RunId;
        foreach (var stage in StageNames.InOrder)
        {
            await state.Stages.UpdateAsync(StageRecord.Id(runId, stage),
                r => r is { IsFinished: false } ? r with { Status = StageRecordStatus.Cancelled } : null,
                context.CancellationToken).ConfigureAwait(false);
        }
        cancellations.Cancel(runId);
    }
}
