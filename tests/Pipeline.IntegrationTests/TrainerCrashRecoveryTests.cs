using Pipeline.Contracts;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.Orchestration.Runs;

namespace Pipeline.IntegrationTests;

/// <summary>
/// A trainer over RabbitMQ: the SFT service is killed (SIGKILL) mid-training; a second replica takes the stage
/// over after the lease runs out, resumes from the last training checkpoint (not step 0), and the run completes.
/// The base model comes from the pretrain stage of the same run, so the test needs nothing but the shipped data.
/// </summary>
public sealed class TrainerCrashRecoveryTests : IAsyncLifetime
{
    private readonly LocalTopology topology = new();
    private PipelineApi api = null!;

    public async ValueTask InitializeAsync()
    {
        // One slice per stage (the default 5 minutes): a resumed checkpoint then proves the takeover, not slicing.
        topology.ServiceEnvironment.Remove("Pipeline__Runtime__SliceDuration");
        await topology.CreateVirtualHostAsync();
        await topology.StartApiAsync();
        await topology.StartServiceAsync("ingestion");
        await topology.StartServiceAsync("sft", "a");
        this.api = new PipelineApi(topology.Api);
    }

    private string Diagnostics() => "--- api ---\n" + topology.Log("api") + "\n--- sft a ---\n" + topology.Log("sft", "a") + "\n--- sft b ---\n" + topology.Log("sft", "b");

    [Fact]
    public async Task The_sft_service_killed_mid_training_is_resumed_from_its_checkpoint_by_another_replica()
    {
        var data = Path.Combine(TestEnvironment.RepositoryRoot, "examples", "quickstart", "data");
        var corpus = await this.api.UploadAsync(Path.Combine(data, "pretrain.txt"));
        var support = await this.api.UploadAsync(Path.Combine(data, "support.jsonl"));
        var runId = await this.api.SubmitOkAsync($"""
            name: it-sft-crash
            stages:
              pretrain: {"{"} corpus: ["{corpus}"], max_steps: 20, batch_size: 8, context_length: 64, vocab_size: 512 {"}"}
              ingest:
                inputs: [{"{"} path: "{support}", format: openai {"}"}]
                pii: {"{"} enabled: false {"}"}
                near_duplicates: {"{"} enabled: false {"}"}
              sft: {"{"} max_steps: 300, batch_size: 8, learning_rate: 1.0e-3, checkpoint_every: 10, eval_every: 1000, max_seq_length: 160 {"}"}
            """);

        // 1. kill replica a once it is well into training (several checkpoints written)
        var (midway, _) = await this.api.WaitAsync(runId, r => r.Current?.Stage == "sft" && r.Current.Fraction >= 0.25 || r.State != RunState.Running,
            TimeSpan.FromMinutes(6), Diagnostics);
        Assert.Equal(RunState.Running, midway.State);
        topology.Kill("sft", "a");

        // 2. replica b takes over
        await topology.StartServiceAsync("sft", "b");
        var (run, _) = await this.api.WaitAsync(runId, r => r.State != RunState.Running, TimeSpan.FromMinutes(6), Diagnostics);

        Assert.Equal(RunState.Completed, run.State);
        var sft = run.Find("sft")!;
        Assert.Equal(1, sft.TakeOvers);
        Assert.Equal(1, sft.Slices);
        Assert.True(sft.ResumedFromCheckpoint);
        // It continued from a checkpoint at or after a quarter of the run, not from step 0.
        Assert.InRange(sft.Metrics["train/resumed_at_step"], 60, 299);
        Assert.Equal(0, sft.Metrics["train/resumed_at_step"] % 10);
        Assert.True(sft.Metrics["eval/loss"] < sft.Metrics["eval/base_loss"],
            $"fine-tuning should lower the validation loss ({sft.Metrics["eval/base_loss"]} → {sft.Metrics["eval/loss"]})");
        Assert.Equal(ArtifactKind.Model, run.Artifacts["sft_model"].Kind);
    }

    public async ValueTask DisposeAsync()
    {
        this.api?.Dispose();
        await topology.DisposeAsync();
    }
}
