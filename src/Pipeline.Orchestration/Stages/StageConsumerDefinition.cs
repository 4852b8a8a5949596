using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Orchestration.Stages;

/// <summary>
/// One job per replica: a trainer replica owns one GPU, so its stage queue delivers one message at a time
/// (prefetch 1, concurrency 1); other replicas compete for the rest. Infrastructure failures outside the
/// worker (state store or broker hiccups) are retried; the worker's own failures are reported, not retried.
/// </summary>
public sealed class StageConsumerDefinition<TCommand> : ConsumerDefinition<StageConsumer<TCommand>>
    where TCommand : class, IStageCommand
{
    public StageConsumerDefinition()
    {
        EndpointName = QueueName(StageCatalog.ForCommand<TCommand>().Stage);
        ConcurrentMessageLimit = 1;
    }

    /// <summary>
    /// Pauses before a delivery is tried again in this replica (state store or broker hiccups, a storage outage past the
    /// blob client's retries): 22.5 s in all, on top of the client's own retries in each try.
    /// </summary>
    public static readonly int[] RetryIntervals = [500, 2000, 5000, 15000];

    public static string QueueName(string stage) => $"stage-{stage.Replace('_', '-')}";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<StageConsumer<TCommand>> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 1;
        endpointConfigurator.UseMessageRetry(r => r.Intervals(RetryIntervals));
    }
}

/// <summary>The run manager's queue; its handlers are short, so several run in parallel.</summary>
public sealed class PipelineRunManagerDefinition : ConsumerDefinition<Runs.PipelineRunManager>
{
    public PipelineRunManagerDefinition()
    {
        EndpointName = "pipeline-runs";
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<Runs.PipelineRunManager> consumerConfigurator, IRegistrationContext context)
    {
        // Optimistic-concurrency conflicts are retried inside the store; this covers broker and storage hiccups.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(200, 1000, 5000, 15000));
    }
}
