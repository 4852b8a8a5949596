using MassTransit.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Ingestion.ShardCoordination;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ingestion stage's worker (the host's bus gives it the ingest queue) and the shard consumer on
    /// its own queue, where every ingestion replica competes for the shards of large inputs. Either order with
    /// the bus's registration works: the consumer is registered in the container, where the bus finds it.
    /// </summary>
    public static IServiceCollection AddIngestionStage(this IServiceCollection services)
    {
        services.AddSingleton<ShardedIngestion>();
        services.AddSingleton<IStageWorker, IngestionStageWorker>();
        services.RegisterConsumer<CleanIngestShardConsumer, CleanIngestShardConsumerDefinition>();
        return services;
    }
}
