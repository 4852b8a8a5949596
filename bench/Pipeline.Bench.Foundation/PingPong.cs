using MassTransit;

namespace Pipeline.Bench.Foundation;

// The raw round trip: the same two hops as a stage hand-off (command in, event out), with nothing in between.

public sealed record BenchPing
{
    public required Guid Id { get; init; }
}

public sealed record BenchPong
{
    public required Guid Id { get; init; }
}

/// <summary>Answers every ping with a pong event, doing no other work.</summary>
public sealed class PingConsumer : IConsumer<BenchPing>
{
    public Task Consume(ConsumeContext<BenchPing> context) => context.Publish(new BenchPong { Id = context.Message.Id });
}

public sealed class PongListener(ArrivalBoard board) : IConsumer<BenchPong>
{
    public Task Consume(ConsumeContext<BenchPong> context)
    {
        board.Arrived(context.Message.Id);
        return Task.CompletedTask;
    }
}
