using Microsoft.Extensions.DependencyInjection;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>Registers the ingestion stage's worker; the host's bus gives it the ingest queue.</summary>
    public static IServiceCollection AddIngestionStage(this IServiceCollection services) =>
        services.AddSingleton<IStageWorker, IngestionStageWorker>();
}
