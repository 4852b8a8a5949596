using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Orchestration.Tests;

/// <summary>
/// The stage runtime and the run manager on the embedded wiring (in-memory transport, local folder state):
/// slices that checkpoint and continue, duplicate commands, cancellation and unavailable stages.
/// </summary>
public sealed class EmbeddedRuntimeTests : IAsyncLifetime
{
    private readonly TempFolder root = new();
    private readonly CountingWorker worker = new();
    private IHost host = null!;

    private const string Config = """
        name: runtime-test
        stages:
          ingest:
            inputs:
              - path: "artifact:imports/x#a.jsonl"
        """;

    public async ValueTask InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPipelineStorage(root.Path, new StageRuntimeOptions
        {
            WorkerId = "test", SliceDuration = TimeSpan.FromMilliseconds(150), ProgressInterval = TimeSpan.Zero,
            ScratchDirectory = root.PathOf("scratch"),
        });
        builder.Services.AddSingleton<IStageWorker>(this.worker);
        builder.Services.AddPipelineBus(PipelineMessaging.InMemory, runManager: true, [StageNames.Ingest, StageNames.Sft]);
        builder.Services.AddPipelineTestHarness();
        host = builder.Build();
        await host.StartAsync();
    }

    private MassTransit.Testing.ITestHarness Harness => host.Harness();
    private IBus Bus => host.Services.GetRequiredService<IBus>();

    private Task<RunRecord> EndedAsync(Guid runId) => EmbeddedRuns.EndedAsync(host, runId);

    [Fact]
    public async Task A_long_stage_runs_in_slices_each_resuming_from_the_last_checkpoint()
    {
        this.worker.TotalSteps = 40;
        var runId = NewId.NextGuid();
        await Bus.Publish(new StartPipelineRun { RunId = runId, ConfigYaml = Config });
        var run = await EndedAsync(runId);

        Assert.Equal(RunState.Completed, run.State);
        var stage = run.Find(StageNames.Ingest)!;
        Assert.True(stage.Slices > 1, $"expected several slices, got {stage.Slices}");
        Assert.Equal(40, stage.Metrics["steps"]);
        // Each slice after the first was started from the checkpoint the one before it saved.
        var started = Harness.Published.Select<StageStarted>(m => m.Context.Message.RunId == runId).Take(stage.Slices).Select(m => m.Context.Message).ToList();
        Assert.Equal(Enumerable.Range(0, stage.Slices), started.Select(s => s.Slice));
        Assert.All(started.Skip(1), s => Assert.True(s.ResumedFromCheckpoint, $"slice {s.Slice} started over"));
        // Every step ran exactly once across the slices: no slice started over.
        Assert.Equal(Enumerable.Range(1, 40), this.worker.StepsRun.Order());
    }

    [Fact]
    public async Task A_duplicate_command_for_a_finished_stage_does_not_run_it_again()
    {
        this.worker.TotalSteps = 3;
        var runId = NewId.NextGuid();
        await Bus.Publish(new StartPipelineRun { RunId = runId, ConfigYaml = Config });
        Assert.Equal(RunState.Completed, (await EndedAsync(runId)).State);
        var runsBefore = this.worker.Invocations;

        await Bus.Publish(new RunIngestion { RunId = runId, SettingsJson = "{}" });
        await Bus.Publish(new StartPipelineRun { RunId = runId, ConfigYaml = Config });

        // The stage answers the duplicate command with its stored result, and the run manager takes the duplicate start
        // for a run it already has: both are consumed, and neither runs the worker again.
        Assert.Equal(2, await Harness.Published.SelectAsync<DatasetPrepared>(m => m.Context.Message.RunId == runId).Take(2).CountAsync());
        Assert.Equal(2, await Harness.Consumed.SelectAsync<StartPipelineRun>(m => m.Context.Message.RunId == runId).Take(2).CountAsync());
        Assert.Equal(runsBefore, this.worker.Invocations);
        var (run, _) = await host.Services.GetRequiredService<PipelineStateStore>().Runs.GetAsync(runId.ToString("N"), CancellationToken.None);
        Assert.Equal(RunState.Completed, run!.State);
    }

    [Fact]
    public async Task Cancelling_a_run_stops_its_running_stage()
    {
        this.worker.TotalSteps = 100_000;
        var runId = NewId.NextGuid();
        await Bus.Publish(new StartPipelineRun { RunId = runId, ConfigYaml = Config });
        Assert.True(await Harness.Published.Any<StageProgressed>(m => m.Context.Message.RunId == runId && m.Context.Message.Fraction > 0));

        await Bus.Publish(new CancelPipelineRun { RunId = runId, Reason = "changed my mind" });
        var run = await EndedAsync(runId);

        Assert.Equal(RunState.Cancelled, run.State);
        Assert.Equal("changed my mind", run.FailureReason);
        // No message marks the worker's return: when the cancellation lands as a slice yields, the stage stops as "lease
        // lost" without a StageCancelled. So this one waits on the worker itself.
        for (var i = 0; i < 100 && this.worker.Running; i++) await Task.Delay(50);
        Assert.False(this.worker.Running, "the worker should have stopped after the cancellation");
        Assert.True(this.worker.StepsRun.Count < 100_000);
    }

    [Fact]
    public async Task A_stage_with_no_worker_in_this_build_fails_the_run_with_a_clear_reason()
    {
        var runId = NewId.NextGuid();
        await Bus.Publish(new StartPipelineRun
        {
            RunId = runId,
            ConfigYaml = """
                name: no-sft
                inputs:
                  dataset: "artifact:imports/d"
                  base_model: "artifact:imports/m"
                stages:
                  sft: {}
                """,
        });
        var run = await EndedAsync(runId);
        Assert.Equal(RunState.Failed, run.State);
        const string reason = "stage 'sft' is not available in this build (no worker is registered for it).";
        Assert.Equal(reason, run.FailureReason);
        Assert.True(await Harness.Published.Any<PipelineRunFailed>(m => m.Context.Message is { Stage: StageNames.Sft, Reason: reason } && m.Context.Message.RunId == runId));
    }

    [Fact]
    public async Task A_stage_failure_that_wraps_a_refused_connection_is_the_stages_failure_not_a_storage_outage()
    {
        // An LLM judge's endpoint that is down: the worker gives up with its own reason, wrapping the transport's error.
        const string reason = "feedback: The chat endpoint http://127.0.0.1:9/v1/ (model judge) did not answer after 2 attempts";
        this.worker.Failure = new StageFailedException(reason, new HttpRequestException("Connection refused (127.0.0.1:9)"));
        var runId = NewId.NextGuid();
        await Bus.Publish(new StartPipelineRun { RunId = runId, ConfigYaml = Config });
        var run = await EndedAsync(runId);

        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal(reason, run.FailureReason);
        // Failed once, not redelivered as if the storage had been away.
        Assert.Equal(1, this.worker.Invocations);
    }

    [Fact]
    public async Task An_invalid_config_fails_the_run_naming_the_key()
    {
        var runId = NewId.NextGuid();
        await Bus.Publish(new StartPipelineRun { RunId = runId, ConfigYaml = "name: x\nstages:\n  ingest:\n    shard_size: 5\n" });
        var run = await EndedAsync(runId);
        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal("config", run.FailedStage);
        Assert.Contains("stages.ingest.shard_size", run.FailureReason);
        Assert.Contains("stages.ingest.inputs", run.FailureReason);
        // Refused before any stage was asked to run: once the run manager has consumed the start, no stage command was published.
        Assert.True(await Harness.Consumed.Any<StartPipelineRun>(m => m.Context.Message.RunId == runId));
        Assert.Empty(EmbeddedRuns.PublishedSoFar<RunIngestion>(host, runId));
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        root.Dispose();
    }

    /// <summary>
    /// A stage that counts steps, checkpointing after each one (the step number is the checkpoint) and
    /// yielding when its slice is up, as a trainer does.
    /// </summary>
    private sealed class CountingWorker : IStageWorker
    {
        public int TotalSteps { get; set; }
        public Exception? Failure { get; set; }
        public List<int> StepsRun { get; } = [];
        public int Invocations;
        public volatile bool Running;
        public string Stage => StageNames.Ingest;

        public async Task<StageOutcome> RunAsync(StageContext context, CancellationToken ct)
        {
            Interlocked.Increment(ref Invocations);
            if (Failure is not null) throw Failure;
            Running = true;
            try
            {
                var step = 0;
                if (context.Checkpoints.LatestId is not null)
                {
                    await using var stream = await context.Checkpoints.OpenLatestAsync("step.txt", ct);
                    step = int.Parse(await new StreamReader(stream).ReadToEndAsync(ct));
                }
                while (step < TotalSteps)
                {
                    ct.ThrowIfCancellationRequested();
                    await Task.Delay(TotalSteps > 1000 ? 20 : 10, ct);
                    step++;
                    lock (StepsRun) StepsRun.Add(step);
                    var done = step;
                    await context.Checkpoints.SaveAsync(async w =>
                    {
                        await using var s = await w.OpenWriteAsync("step.txt", ct);
                        await s.WriteAsync(System.Text.Encoding.UTF8.GetBytes(done.ToString()), ct);
                    }, ct);
                    context.Progress.Report((double)step / TotalSteps, step, TotalSteps);
                    if (context.ShouldYield && step < TotalSteps) return StageOutcome.Continue();
                }
                return StageOutcome.Done(new Dictionary<string, ArtifactRef>(), new Dictionary<string, double> { ["steps"] = step });
            }
            finally
            {
                Running = false;
            }
        }
    }
}
