using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Bench.Foundation;

/// <summary>Ends a hand-off measurement on the ingest stage's completed event; a failure event fails it with the stage's reason.</summary>
public sealed class StageCompletionListener(ArrivalBoard board) : IConsumer<DatasetPrepared>, IConsumer<StageFailed>
{
    public Task Consume(ConsumeContext<DatasetPrepared> context)
    {
        board.Arrived(context.Message.RunId);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<StageFailed> context)
    {
        board.Failed(context.Message.RunId, $"stage '{context.Message.Stage}' failed during the benchmark: {context.Message.Reason}");
        return Task.CompletedTask;
    }
}
