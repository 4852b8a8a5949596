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

    /// <param name="retry">How blob requests are retried (the storage's retry budget); default <see cref="BlobRetrySettings"/>.</param>
    public static IServiceCollection AddPipelineStorage(this IServiceCollection services, string artifacts, StageRuntimeOptions? runtime = null,
        BlobRetrySettings? retry = null)
    {
        retry ??= new BlobRetrySettings();
        retry.CreateClientOptions(); // validates it at start-up rather than on the first request
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(retry);
        services.AddSingleton<IArtifactStore>(_ => ArtifactStoreFactory.Create(artifacts, retry));
        services.AddSingleton<IDocumentStore>(_ => DocumentStoreFactory.Create(artifacts, StateContainer, retry));
        services.AddSingleton<PipelineStateStore>();
        services.AddSingleton<RunCancellationRegistry>();
        services.AddSingleton<StageSliceGate>();
        (runtime ?? new StageRuntimeOptions()).Validate();
        services.AddSingleton(runtime ?? new StageRuntimeOptions());
        return services;
    }
}
