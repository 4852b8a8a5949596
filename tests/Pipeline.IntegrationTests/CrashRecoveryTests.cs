using Pipeline.Artifacts;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.Orchestration.Runs;

namespace Pipeline.IntegrationTests;

/// <summary>
/// Long stages over RabbitMQ: the replica running a stage is killed (SIGKILL) mid-stage; its unacknowledged
/// delivery returns to the queue, a second replica waits out the dead one's lease, takes the stage over from
/// the last checkpoint, and the run completes with the same dataset an uninterrupted run writes.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private const int Rows = 40_000;
    private readonly LocalTopology topology = new();
    private readonly TempFolder data = new();
    private PipelineApi api = null!;

    public async ValueTask InitializeAsync()
    {
        await topology.CreateVirtualHostAsync();
        await topology.StartApiAsync();
        await topology.StartServiceAsync("ingestion", "a");
        this.api = new PipelineApi(topology.Api);
    }

    private string Diagnostics() =>
        "--- api ---\n" + topology.Log("api") + "\n--- ingestion a ---\n" + topology.Log("ingestion", "a") + "\n--- ingestion b ---\n" + topology.Log("ingestion", "b");

    [Fact]
    public async Task A_replica_killed_mid_stage_is_taken_over_from_its_last_checkpoint_and_the_result_is_unchanged()
    {
        var input = await this.api.UploadAsync(SupportData.WriteAlpacaJsonl(data.Path, Rows));
        var yaml = $"""
            name: it-crash
            stages:
              ingest:
                inputs:
                  - path: "{input}"
                shard_size: 1000
            """;
        var runId = await this.api.SubmitOkAsync(yaml);

        // 1. let replica a get well into the stage (past a few checkpoints), then kill it without warning
        var (midway, _) = await this.api.WaitAsync(runId, r => r.Current?.Stage == "ingest" && r.Current.Fraction >= 0.25 || r.State != RunState.Running,
            TimeSpan.FromMinutes(6), Diagnostics);
        Assert.Equal(RunState.Running, midway.State);
        var fractionAtKill = midway.Current!.Fraction;
        topology.Kill("ingestion", "a");

        // 2. a second replica comes up; the redelivered command waits out a's lease and resumes
        await topology.StartServiceAsync("ingestion", "b");
        var (run, _) = await this.api.WaitAsync(runId, r => r.State != RunState.Running, TimeSpan.FromMinutes(8), Diagnostics);

        Assert.Equal(RunState.Completed, run.State);
        var ingest = run.Find("ingest")!;
        Assert.Equal(1, ingest.TakeOvers);
        Assert.True(ingest.ResumedFromCheckpoint, "the replica that took over should have started from a checkpoint");
        Assert.Equal(Rows, ingest.Metrics["train_rows"] + ingest.Metrics["validation_rows"]);

        // 3. it did not start over: every shard closed before the kill was reused, not written again.
        //    Each staged file is one artifact; starting over would have staged the early shards twice.
        var store = ArtifactStoreFactory.Create(topology.Artifacts);
        var datasetId = run.Artifacts["dataset"].Id;
        var dataset = await store.GetManifestAsync(datasetId);
        var staged = new List<ArtifactManifest>();
        await foreach (var m in store.ListAsync($"runs/{runId:N}/ingest/staging/")) staged.Add(m);
        var shardsBeforeKill = (int)(fractionAtKill * dataset.Files.Count(f => f.Path.EndsWith(".jsonl")));
        Assert.True(staged.Count <= dataset.Files.Count + 2,
            $"{staged.Count} files were staged for a dataset of {dataset.Files.Count} files: the stage redid work it had checkpointed (about {shardsBeforeKill} shards were done at the kill)");

        // 4. and the dataset is exactly what an uninterrupted run writes
        var reference = await this.api.SubmitOkAsync(yaml.Replace("it-crash", "it-reference"));
        var (referenceRun, _) = await this.api.WaitAsync(reference, r => r.State != RunState.Running, TimeSpan.FromMinutes(6), Diagnostics);
        Assert.Equal(RunState.Completed, referenceRun.State);
        var expected = await store.GetManifestAsync(referenceRun.Artifacts["dataset"].Id);
        Assert.Equal(
            expected.Files.Where(f => f.Path.EndsWith(".jsonl")).Select(f => (f.Path, f.Sha256)),
            dataset.Files.Where(f => f.Path.EndsWith(".jsonl")).Select(f => (f.Path, f.Sha256)));
        await store.VerifyAsync(datasetId);
    }

    public async ValueTask DisposeAsync()
    {
        this.api?.Dispose();
        await topology.DisposeAsync();
        data.Dispose();
    }
}
