using Pipeline.Contracts;
using Pipeline.IntegrationTests.Infrastructure;
using Pipeline.Orchestration.Runs;

namespace Pipeline.IntegrationTests;

/// <summary>
/// The alignment trainer over RabbitMQ and Azurite: the ppo service is killed (SIGKILL) mid-PPO; a second replica takes
/// the stage over after the lease runs out and resumes from the last checkpoint (weights, value head, optimizer, KL
/// controller, step), and the run completes. Everything before it (pretrain, ingest, sft, reward model) runs in the same
/// run on the shipped quickstart data, at tiny sizes.
/// </summary>
public sealed class AlignmentCrashRecoveryTests : IAsyncLifetime
{
    private readonly LocalTopology topology = new();
    private PipelineApi api = null!;

    public async ValueTask InitializeAsync()
    {
        topology.ServiceEnvironment.Remove("Pipeline__Runtime__SliceDuration");
        await topology.CreateVirtualHostAsync();
        await topology.StartApiAsync();
        await topology.StartServiceAsync("ingestion");
        await topology.StartServiceAsync("sft");
        await topology.StartServiceAsync("reward-model");
        await topology.StartServiceAsync("ppo", "a");
        this.api = new PipelineApi(topology.Api);
    }

    private string Diagnostics() => "--- api ---\n" + topology.Log("api") + "\n--- ppo a ---\n" + topology.Log("ppo", "a") + "\n--- ppo b ---\n" + topology.Log("ppo", "b");

    [Fact]
    public async Task The_ppo_service_killed_mid_stage_is_resumed_from_its_checkpoint_by_another_replica()
    {
        var data = Path.Combine(TestEnvironment.RepositoryRoot, "examples", "quickstart", "data");
        var corpus = await this.api.UploadAsync(Path.Combine(data, "pretrain.txt"));
        var support = await this.api.UploadAsync(Path.Combine(data, "support.jsonl"));
        var preferences = await this.api.UploadAsync(Path.Combine(data, "preferences.jsonl"));
        var runId = await this.api.SubmitOkAsync($"""
            name: it-ppo-crash
            stages:
              pretrain: {"{"} corpus: ["{corpus}"], max_steps: 20, batch_size: 8, context_length: 64, vocab_size: 512 {"}"}
              ingest:
                inputs: [{"{"} path: "{support}", format: openai {"}"}, {"{"} path: "{preferences}", format: preference {"}"}]
                pii: {"{"} enabled: false {"}"}
                near_duplicates: {"{"} enabled: false {"}"}
              sft: {"{"} max_steps: 10, batch_size: 8, learning_rate: 1.0e-3, eval_every: 1000, max_seq_length: 128 {"}"}
              reward_model: {"{"} max_steps: 10, batch_size: 8, learning_rate: 5.0e-4, eval_every: 1000, max_seq_length: 128 {"}"}
              ppo:
                max_steps: 60
                rollout_batch_size: 4
                mini_batch_size: 4
                batch_size: 4
                ppo_epochs: 1
                learning_rate: 1.0e-4
                max_new_tokens: 12
                max_prompt_length: 64
                checkpoint_every: 5
                eval_every: 0
                adaptive_kl: true
                target_kl: 1.0
            """);

        // 1. kill replica a once it is well into PPO (several checkpoints written)
        var (midway, _) = await this.api.WaitAsync(runId, r => r.Current?.Stage == "ppo" && r.Current.Fraction >= 0.25 || r.State != RunState.Running,
            TimeSpan.FromMinutes(8), Diagnostics);
        Assert.Equal(RunState.Running, midway.State);
        topology.Kill("ppo", "a");

        // 2. replica b takes over from the last checkpoint
        await topology.StartServiceAsync("ppo", "b");
        var (run, _) = await this.api.WaitAsync(runId, r => r.State != RunState.Running, TimeSpan.FromMinutes(6), Diagnostics);

        Assert.Equal(RunState.Completed, run.State);
        var ppo = run.Find("ppo")!;
        Assert.Equal(1, ppo.TakeOvers);
        Assert.True(ppo.ResumedFromCheckpoint);
        // Killed at step 15 or later, it resumes from the last checkpoint already stored: step 15's may still have been uploading, so 10 at the least.
        Assert.InRange(ppo.Metrics["train/resumed_at_step"], 10, 59);
        Assert.Equal(0, ppo.Metrics["train/resumed_at_step"] % 5);
        Assert.Equal(60, ppo.Metrics["steps"]);
        Assert.True(ppo.Metrics.ContainsKey("objective/kl") && ppo.Metrics.ContainsKey("loss/value"), string.Join(", ", ppo.Metrics.Keys));
        Assert.Equal(ArtifactKind.Model, run.Artifacts["policy_model"].Kind);
    }

    public async ValueTask DisposeAsync()
    {
        this.api?.Dispose();
        await topology.DisposeAsync();
    }
}
