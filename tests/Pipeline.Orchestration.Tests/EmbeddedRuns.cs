using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Orchestration.Tests;

/// <summary>Submits a run config to an embedded host as `pipeline run` does, and polls its record.</summary>
internal static class EmbeddedRuns
{
    /// <summary>Uploads the config's local inputs, starts the run and waits until it leaves Running.</summary>
    public static async Task<RunRecord> RunAsync(IHost host, string yaml, string baseDirectory, TimeSpan timeout)
    {
        var artifacts = host.Services.GetRequiredService<IArtifactStore>();
        var submitted = await InputImporter.RewriteLocalInputsAsync(yaml, baseDirectory, p => InputImporter.ImportPathAsync(artifacts, p, CancellationToken.None));
        var runId = NewId.NextGuid();
        await host.Services.GetRequiredService<IBus>().Publish(new StartPipelineRun { RunId = runId, ConfigYaml = submitted });
        return await WaitAsync(host, runId, run => run.State != RunState.Running, timeout);
    }

    /// <summary>Polls the run's record every 50 ms until <paramref name="until"/> holds.</summary>
    public static async Task<RunRecord> WaitAsync(IHost host, Guid runId, Func<RunRecord, bool> until, TimeSpan timeout)
    {
        var state = host.Services.GetRequiredService<PipelineStateStore>();
        for (var waited = TimeSpan.Zero; waited < timeout; waited += TimeSpan.FromMilliseconds(50))
        {
            var (run, _) = await state.Runs.GetAsync(runId.ToString("N"), CancellationToken.None);
            if (run is not null && until(run)) return run;
            await Task.Delay(50);
        }
        throw new TimeoutException($"run {runId} did not reach the expected state within {timeout.TotalSeconds:0} s");
    }
}
