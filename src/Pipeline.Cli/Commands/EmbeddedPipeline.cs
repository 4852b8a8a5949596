using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Ingestion;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Stages;

namespace Pipeline.Cli.Commands;

/// <summary>
/// The whole pipeline in one process: the same run manager and stage consumers as the services, on the
/// in-memory transport, with a local folder for artifacts and run state.
/// </summary>
internal sealed class EmbeddedPipeline : IAsyncDisposable
{
    private readonly IHost host;

    private EmbeddedPipeline(IHost host) => this.host = host;

    public IArtifactStore Artifacts => this.host.Services.GetRequiredService<IArtifactStore>();
    public PipelineStateStore State => this.host.Services.GetRequiredService<PipelineStateStore>();

    /// <summary>The rule-based reward functions (judges) registered in this process, by name.</summary>
    public IReadOnlyList<string> RewardFunctions => [.. this.host.Services.GetServices<IRewardFunction>().Select(f => f.Name).Distinct().Order(StringComparer.Ordinal)];

    /// <param name="log">Where the services' log lines go (the console shows only progress and the failure reason).</param>
    /// <param name="verbose">Also write warnings and errors, with their exceptions, to the console.</param>
    public static async Task<EmbeddedPipeline> StartAsync(string artifacts, ILoggerProvider log, bool verbose, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(log).SetMinimumLevel(LogLevel.Information);
        if (verbose) builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(level => level >= LogLevel.Warning);
        builder.Services.AddPipelineStorage(artifacts, new StageRuntimeOptions { WorkerId = $"embedded-{Environment.ProcessId}" });
        builder.Services.AddPipelineBus(PipelineMessaging.InMemory, runManager: true, StageCatalog.ImplementedInThisBuild.ToList());
        builder.Services.AddIngestionStage();
        builder.Services.AddSftStages();
        builder.Services.AddRewardModelStage();
        builder.Services.AddSynthesisStage();
        builder.Services.AddFeedbackStage();
        builder.Services.AddAlignmentStages();
        builder.Services.AddEvaluationStage();
        var host = builder.Build();
        await host.StartAsync(ct);
        return new EmbeddedPipeline(host);
    }

    public async Task<Guid> SubmitAsync(string configYaml, CancellationToken ct)
    {
        var runId = NewId.NextGuid();
        await this.host.Services.GetRequiredService<IBus>().Publish(new StartPipelineRun { RunId = runId, ConfigYaml = configYaml }, ct);
        return runId;
    }

    public async ValueTask DisposeAsync()
    {
        await this.host.StopAsync();
        this.host.Dispose();
    }
}
