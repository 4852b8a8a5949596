using Pipeline.Contracts;
using Pipeline.Artifacts;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.Orchestration.Runs;

namespace Pipeline.IntegrationTests;

/// <summary>
/// The broker dies mid-SFT: a RabbitMQ of the test's own is killed with SIGKILL while the SFT service trains, and
/// started again on the same port and data folder three seconds later. Every service reconnects by itself, the run
/// completes, and its figures are exactly those of an uninterrupted run of the same config afterwards.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class BrokerOutageTests : IAsyncLifetime
{
    private readonly PrivateRabbitMq broker = new();
    private LocalTopology topology = null!;
    private PipelineApi api = null!;

    public async ValueTask InitializeAsync()
    {
        await this.broker.StartAsync();
        topology = new LocalTopology(messaging: this.broker.Uri);
        // One slice per stage (the default 5 minutes), so an interrupted delivery shows as a second slice or attempt.
        topology.ServiceEnvironment.Remove("Pipeline__Runtime__SliceDuration");
        await topology.StartApiAsync();
        await topology.StartServiceAsync("ingestion");
        await topology.StartServiceAsync("sft");
        this.api = new PipelineApi(topology.Api);
    }

    private string Diagnostics() =>
        "--- api ---\n" + topology.Log("api") + "\n--- ingestion ---\n" + topology.Log("ingestion") + "\n--- sft ---\n" + topology.Log("sft");

    [Fact]
    public async Task A_broker_killed_mid_sft_and_restarted_is_survived_with_the_figures_of_an_uninterrupted_run()
    {
        var data = Path.Combine(TestEnvironment.RepositoryRoot, "examples", "quickstart", "data");
        var corpus = await this.api.UploadAsync(Path.Combine(data, "pretrain.txt"));
        var support = await this.api.UploadAsync(Path.Combine(data, "support.jsonl"));
        var yaml = $"""
            name: it-broker-outage
            seed: 11
            stages:
              pretrain: {"{"} corpus: ["{corpus}"], max_steps: 20, batch_size: 8, context_length: 64, vocab_size: 512 {"}"}
              ingest:
                inputs: [{"{"} path: "{support}", format: openai {"}"}]
                pii: {"{"} enabled: false {"}"}
                near_duplicates: {"{"} enabled: false {"}"}
              sft: {"{"} max_steps: 160, batch_size: 8, learning_rate: 1.0e-3, checkpoint_every: 20, eval_every: 1000, max_seq_length: 160 {"}"}
            """;
        var runId = await this.api.SubmitOkAsync(yaml);

        // 1. SIGKILL the broker a quarter into SFT, start it again 3 s later on the same port and data
        var (midway, _) = await this.api.WaitAsync(runId, r => r.Current?.Stage == "sft" && r.Current.Fraction >= 0.25 || r.State != RunState.Running,
            TimeSpan.FromMinutes(10), Diagnostics);
        Assert.Equal(RunState.Running, midway.State);
        await this.broker.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await this.broker.StartAsync();

        // 2. the services reconnect on their own and the run completes
        var (run, _) = await this.api.WaitAsync(runId, r => r.State != RunState.Running, TimeSpan.FromMinutes(10), Diagnostics);
        Assert.True(run.State == RunState.Completed, $"run ended {run.State}: {run.FailedStage} {run.FailureReason}\n{Diagnostics()}");
        Assert.All(run.Stages, s => Assert.Equal(StageState.Completed, s.State));
        Assert.Equal(0, run.Find("sft")!.TakeOvers); // the one SFT service carried on; nobody waited out a lease
        var store = ArtifactStoreFactory.Create(topology.Artifacts);
        foreach (var artifact in new[] { "base_model", "dataset", "sft_model" }) await store.VerifyAsync(run.Artifacts[artifact].Id);

        // 3. an uninterrupted run of the same config, on the restarted broker, gives the same figures
        var reference = await this.api.SubmitOkAsync(yaml.Replace("it-broker-outage", "it-broker-reference"));
        var (expected, _) = await this.api.WaitAsync(reference, r => r.State != RunState.Running, TimeSpan.FromMinutes(10), Diagnostics);
        Assert.Equal(RunState.Completed, expected.State);
        //    Every figure but the speeds (tokens per second depend on the machine's load, not on the outage).
        foreach (var stage in new[] { "pretrain", "ingest", "sft" })
            foreach (var (metric, value) in expected.Find(stage)!.Metrics.Where(m => !m.Key.Contains("second")))
                Assert.True(run.Find(stage)!.Metrics.TryGetValue(metric, out var actual) && actual == value,
                    $"{stage} {metric}: {actual} after the broker outage, {value} without it");
        Assert.Contains(MetricNames.EvalLoss, run.Find("sft")!.Metrics.Keys);
    }

    public async ValueTask DisposeAsync()
    {
        this.api?.Dispose();
        if (topology is not null) await topology.DisposeAsync();
        await this.broker.DisposeAsync();
    }
}
