using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Orchestration.Tests;

/// <summary>
/// Submits a run config to an embedded host as `pipeline run` does, and waits on MassTransit's test harness for the
/// messages that say what happened (the run manager publishes the run's end only after its record says so).
/// </summary>
internal static class EmbeddedRuns
{
    /// <summary>
    /// MassTransit's test harness over the pipeline's bus (call after <c>AddPipelineBus</c>): the same consumers and
    /// endpoints on the in-memory transport, with every published and consumed message recorded. The timeout bounds a
    /// whole test class instance; inactivity never ends a wait early, because a stage's slice can go quiet for seconds.
    /// </summary>
    public static IServiceCollection AddPipelineTestHarness(this IServiceCollection services) =>
        services.AddMassTransitTestHarness(x => x.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(2), testInactivityTimeout: TimeSpan.FromMinutes(2)));

    public static ITestHarness Harness(this IHost host) => host.Services.GetTestHarness();

    /// <summary>Uploads the config's local inputs, starts the run and waits until it has ended.</summary>
    public static async Task<RunRecord> RunAsync(IHost host, string yaml, string baseDirectory)
    {
        var artifacts = host.Services.GetRequiredService<IArtifactStore>();
        var submitted = await InputImporter.RewriteLocalInputsAsync(yaml, baseDirectory, p => InputImporter.ImportPathAsync(artifacts, p, CancellationToken.None));
        var runId = NewId.NextGuid();
        await host.Services.GetRequiredService<IBus>().Publish(new StartPipelineRun { RunId = runId, ConfigYaml = submitted });
        return await EndedAsync(host, runId);
    }

    /// <summary>The messages of type <typeparamref name="T"/> published for the run until now (no waiting for more).</summary>
    public static List<T> PublishedSoFar<T>(IHost host, Guid runId) where T : class, IStageCommand =>
        [.. host.Harness().Published.Select<T>(m => m.Context.Message.RunId == runId, new CancellationToken(canceled: true)).Select(m => m.Context.Message)];

    /// <summary>Waits until the run manager publishes the run's end (completed, failed or cancelled), then reads the run's record.</summary>
    public static async Task<RunRecord> EndedAsync(IHost host, Guid runId)
    {
        var ended = await host.Harness().Published.Any(m => m.MessageObject switch
        {
            PipelineRunCompleted e => e.RunId == runId,
            PipelineRunFailed e => e.RunId == runId,
            PipelineRunCancelled e => e.RunId == runId,
            _ => false,
        });
        Assert.True(ended, $"run {runId} published no end within the test harness's timeout");
        var (run, _) = await host.Services.GetRequiredService<PipelineStateStore>().Runs.GetAsync(runId.ToString("N"), CancellationToken.None);
        return run!;
    }
}
