using Pipeline.Contracts;
using Pipeline.Artifacts;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.Orchestration.Runs;

namespace Pipeline.IntegrationTests;

/// <summary>
/// Storage goes away mid-stage: an Azurite of the test's own, persisting to a folder, is stopped while the SFT service
/// trains and started again on the same port and folder. An outage the retries cover (the blob client's own, then the
/// stage's delivery retried from its latest checkpoint) leaves a complete run whose artifacts all verify and whose
/// figures equal an uninterrupted run's; one that outlasts them fails the stage with a reason naming the storage.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class StorageOutageTests
{
    private static string Config(string name, string corpus, string support) => $"""
        name: {name}
        seed: 13
        stages:
          pretrain: {"{"} corpus: ["{corpus}"], max_steps: 20, batch_size: 8, context_length: 64, vocab_size: 512 {"}"}
          ingest:
            inputs: [{"{"} path: "{support}", format: openai {"}"}]
            pii: {"{"} enabled: false {"}"}
            near_duplicates: {"{"} enabled: false {"}"}
          sft: {"{"} max_steps: 160, batch_size: 8, learning_rate: 1.0e-3, checkpoint_every: 20, eval_every: 1000, max_seq_length: 160 {"}"}
        """;

    [Fact]
    public async Task An_outage_mid_sft_is_ridden_out_by_retries_and_slice_redelivery_with_nothing_lost_or_duplicated()
    {
        await using var storage = new PrivateAzurite();
        await storage.StartAsync();
        // A retry budget of about 3.5 s (0.5 + 1 + 2 s), so the 15 s outage outlasts the blob client's retries and the
        // stage's delivery is retried too (after 0.5, 2, 5 and 15 s, each try with the client's retries again).
        await using var topology = await StartAsync(storage, maxRetries: 3, delay: "00:00:00.500", maxDelay: "00:00:02");
        using var api = new PipelineApi(topology.Api);
        var (corpus, support) = await UploadAsync(api);
        var yaml = Config("it-storage-outage", corpus, support);
        var runId = await api.SubmitOkAsync(yaml);

        // 1. storage stops a quarter into SFT and comes back 15 s later, same port, same folder
        await WaitForSftAsync(api, runId, topology);
        await storage.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(15));
        await storage.StartAsync();

        // 2. the run completes
        var (run, _) = await api.WaitAsync(runId, r => r.State != RunState.Running, TimeSpan.FromMinutes(10), () => Diagnostics(topology));
        Assert.True(run.State == RunState.Completed, $"run ended {run.State}: {run.FailedStage} {run.FailureReason}\n{Diagnostics(topology)}");
        // The outage reached the stage: a slice was tried again (one more start than slices), by the same replica.
        var sft = run.Find("sft")!;
        Assert.True(sft.Attempts > sft.Slices, $"no slice was retried ({sft.Attempts} starts for {sft.Slices} slices)\n{Diagnostics(topology)}");
        Assert.Equal(0, sft.TakeOvers);

        // 3. nothing lost: every artifact of the run is whole (each file's size and SHA-256 match its manifest), and
        //    nothing duplicated: one artifact per output, and the dataset holds each kept row once.
        var store = ArtifactStoreFactory.Create(topology.Artifacts);
        var artifacts = new List<ArtifactManifest>();
        await foreach (var manifest in store.ListAsync($"runs/{runId:N}/")) artifacts.Add(manifest);
        foreach (var manifest in artifacts) await store.VerifyAsync(manifest.Id);
        Assert.Single(artifacts, m => m.Id == run.Artifacts["sft_model"].Id);
        Assert.Single(artifacts, m => m.Kind == ArtifactKind.Dataset && m.ProducerStage == "ingest" && !m.Id.Contains("/staging/"));
        var dataset = await store.GetManifestAsync(run.Artifacts["dataset"].Id);
        var rows = 0;
        foreach (var file in dataset.Files.Where(f => f.Path.EndsWith(".jsonl")))
            rows += (await store.ReadAllTextAsync(dataset.Id, file.Path)).Count(c => c == '\n');
        var ingest = run.Find("ingest")!.Metrics;
        Assert.Equal(ingest["train_rows"] + ingest["validation_rows"], rows);

        // 4. and the figures are an uninterrupted run's
        var reference = await api.SubmitOkAsync(Config("it-storage-reference", corpus, support));
        var (expected, _) = await api.WaitAsync(reference, r => r.State != RunState.Running, TimeSpan.FromMinutes(10), () => Diagnostics(topology));
        Assert.Equal(RunState.Completed, expected.State);
        foreach (var stage in new[] { "pretrain", "ingest", "sft" })
            foreach (var (metric, value) in expected.Find(stage)!.Metrics.Where(m => !m.Key.Contains("second") && m.Key != MetricNames.ResumedAtStep))
                Assert.True(run.Find(stage)!.Metrics.TryGetValue(metric, out var actual) && actual == value,
                    $"{stage} {metric}: {actual} after the storage outage, {value} without it");
    }

    [Fact]
    public async Task An_outage_past_the_retry_budget_fails_the_stage_with_a_reason_naming_the_storage()
    {
        await using var storage = new PrivateAzurite();
        await storage.StartAsync();
        // One quick retry: the stage's delivery retries (22.5 s in all) run out while storage is still down.
        await using var topology = await StartAsync(storage, maxRetries: 1, delay: "00:00:00.100", maxDelay: "00:00:00.200");
        using var api = new PipelineApi(topology.Api);
        var (corpus, support) = await UploadAsync(api);
        var runId = await api.SubmitOkAsync(Config("it-storage-gone", corpus, support));

        // 1. storage stops mid-SFT and stays down until the SFT service has given the stage up
        await WaitForSftAsync(api, runId, topology);
        await storage.StopAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (!topology.Log("sft", lines: int.MaxValue).Contains("stage sft failed") && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.True(topology.Log("sft", lines: int.MaxValue).Contains("stage sft failed"), "the SFT service did not give the stage up:\n" + Diagnostics(topology));

        // 2. storage returns (as it does after an outage): the failure is recorded, naming the storage that was gone
        await storage.StartAsync();
        var (run, _) = await api.WaitAsync(runId, r => r.State != RunState.Running, TimeSpan.FromMinutes(10), () => Diagnostics(topology));
        Assert.Equal(RunState.Failed, run.State);
        Assert.Equal("sft", run.FailedStage);
        Assert.StartsWith("storage unreachable: blob container", run.FailureReason);
        Assert.Contains(storage.Endpoint, run.FailureReason);
        Assert.Contains("did not answer after 1 retries (Pipeline:Storage:Retry)", run.FailureReason);
        Assert.Equal(run.FailureReason, run.Find("sft")!.FailureReason);
    }

    private static async Task<LocalTopology> StartAsync(PrivateAzurite storage, int maxRetries, string delay, string maxDelay)
    {
        var topology = new LocalTopology(blob: storage.ConnectionString);
        topology.ServiceEnvironment["Pipeline__Storage__Retry__MaxRetries"] = maxRetries.ToString();
        topology.ServiceEnvironment["Pipeline__Storage__Retry__Delay"] = delay;
        topology.ServiceEnvironment["Pipeline__Storage__Retry__MaxDelay"] = maxDelay;
        await topology.CreateVirtualHostAsync();
        await topology.StartApiAsync();
        await topology.StartServiceAsync("ingestion");
        await topology.StartServiceAsync("sft");
        return topology;
    }

    private static async Task<(string Corpus, string Support)> UploadAsync(PipelineApi api)
    {
        var data = Path.Combine(TestEnvironment.RepositoryRoot, "examples", "quickstart", "data");
        return (await api.UploadAsync(Path.Combine(data, "pretrain.txt")), await api.UploadAsync(Path.Combine(data, "support.jsonl")));
    }

    private static async Task WaitForSftAsync(PipelineApi api, Guid runId, LocalTopology topology)
    {
        var (midway, _) = await api.WaitAsync(runId, r => r.Current?.Stage == "sft" && r.Current.Fraction >= 0.25 || r.State != RunState.Running,
            TimeSpan.FromMinutes(10), () => Diagnostics(topology));
        Assert.Equal(RunState.Running, midway.State);
    }

    private static string Diagnostics(LocalTopology topology) =>
        "--- api ---\n" + topology.Log("api") + "\n--- ingestion ---\n" + topology.Log("ingestion") + "\n--- sft ---\n" + topology.Log("sft");
}
