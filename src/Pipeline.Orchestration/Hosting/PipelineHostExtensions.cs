using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Artifacts;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Orchestration.Hosting;

/// <summary>
/// Wires a host from plain configuration: <c>ConnectionStrings:messaging</c> (in-memory or an AMQP URI),
/// <c>ConnectionStrings:artifacts</c> (a folder or an Azure Storage connection string) and the optional
/// <c>Pipeline:Runtime</c> section (<see cref="StageRuntimeOptions"/>) and the optional <c>Pipeline:Storage:Retry</c>
/// section (<see cref="BlobRetrySettings"/>: how long a blob request rides out a storage outage). Aspire, Kubernetes and the local
/// scripts all set exactly these keys.
/// </summary>
public static class PipelineHostExtensions
{
    public static TBuilder AddPipelineRuntime<TBuilder>(this TBuilder builder, bool runManager, params string[] stages)
        where TBuilder : IHostApplicationBuilder
    {
        var messaging = Required(builder.Configuration, "messaging",
            $"'{PipelineMessaging.InMemory}' or an AMQP URI such as amqp://guest:guest@127.0.0.1:5672/");
        var artifacts = Required(builder.Configuration, "artifacts",
            "a folder path, or an Azure Storage connection string (UseDevelopmentStorage=true, or one with BlobEndpoint=...)");
        var runtime = builder.Configuration.GetSection("Pipeline:Runtime").Get<StageRuntimeOptions>() ?? new StageRuntimeOptions();
        var retry = builder.Configuration.GetSection("Pipeline:Storage:Retry").Get<BlobRetrySettings>() ?? new BlobRetrySettings();
        builder.Services.AddPipelineStorage(artifacts, runtime, retry);
        builder.Services.AddPipelineBus(messaging, runManager, stages);
        return builder;
    }

    private static string Required(IConfiguration configuration, string name, string allowed) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"ConnectionStrings:{name} is not set (environment variable ConnectionStrings__{name}). Allowed: {allowed}.");
}
