using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Artifacts;
using Pipeline.Artifacts.State;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Orchestration.Messaging;

/// <summary>The storage every host shares: artifacts, durable run and stage records, and the stage runtime.</summary>
public static class PipelineServices
{
    /// <summary>The blob container (or subfolder of a local store) that holds run and stage records.</summary>
    public const string StateContainer = "pipeline-state";

    public static IServiceCollection AddPipelineStorage(this IServiceCollection services, string artifacts, StageRuntimeOptions? runtime = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IArtifactStore>(_ => ArtifactStoreFactory.Create(artifacts));
        services.AddSingleton<IDocumentStore>(_ => DocumentStoreFactory.Create(artifacts, StateContainer));
        services.AddSingleton<PipelineStateStore>();
        services.AddSingleton<RunCancellationRegistry>();
        (runtime ?? new StageRuntimeOptions()).Validate();
        services.AddSingleton(runtime ?? new StageRuntimeOptions());
        return services;
    }
}
