using Pipeline.Artifacts.State;
using Pipeline.Cli.Commands;
using Pipeline.Contracts;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Cli.Tests.Run;

/// <summary>
/// `pipeline run CONFIG` as the README's first command runs it (embedded: in-memory bus, local artifact folder), on
/// the quickstart's data with tiny step counts, and with SFT packing on.
/// </summary>
[Collection(EmbeddedRunCollection.Name)]
public sealed class EmbeddedRunTests
{
    [Fact]
    public async Task Pretrain_ingest_packed_sft_and_reward_model_complete_in_one_process()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(RepositoryRoot(), "examples", "quickstart", "data");
        var config = folder.PathOf("tiny.yaml");
        await File.WriteAllTextAsync(config, $$"""
            name: tiny-embedded
            seed: 3
            stages:
              pretrain: { corpus: ["{{data}}/pretrain.txt"], max_steps: 20, batch_size: 8, context_length: 64, vocab_size: 512 }
              ingest:
                inputs:
                  - { path: "{{data}}/support.jsonl", format: openai }
                  - { path: "{{data}}/preferences.jsonl", format: preference }
                near_duplicates: { enabled: false }
              sft: { max_steps: 12, batch_size: 4, learning_rate: 1.0e-3, max_seq_length: 640, packing: true, eval_every: 1000 }
              reward_model: { max_steps: 6, batch_size: 4, max_seq_length: 160, eval_every: 1000 }
            """);
        var artifacts = Path.Combine(folder.Path, "artifacts");

        var exitCode = await RunCommand.RunAsync(new FileInfo(config), artifacts, select: null, TestContext.Current.CancellationToken);

        var runs = new PipelineStateStore(DocumentStoreFactory.Create(artifacts, PipelineServices.StateContainer)).Runs;
        var run = Assert.Single(await runs.ListAsync(TestContext.Current.CancellationToken).ToListAsync());
        Assert.True(exitCode == 0, $"run ended {run.State}: {run.FailedStage} {run.FailureReason}");
        Assert.Equal(RunState.Completed, run.State);
        Assert.Equal(["pretrain", "ingest", "sft", "reward_model"], run.Stages.Select(s => s.Stage));

        // SFT trained on packed rows: several conversations per row, most of each row filled.
        var sft = run.Find("sft")!.Metrics;
        Assert.True(sft["train_rows"] < sft["train_conversations"] / 2, $"{sft["train_rows"]} rows for {sft["train_conversations"]} conversations");
        Assert.InRange(sft["train/packing_efficiency"], 0.5, 1.0);
        Assert.True(double.IsFinite(sft["eval/loss"]) && double.IsFinite(sft["eval/base_loss"]));
        Assert.InRange(run.Find("reward_model")!.Metrics["eval/accuracy"], 0, 1);
        Assert.Equal(ArtifactKind.Model, run.Artifacts["sft_model"].Kind);
        Assert.True(run.Artifacts.ContainsKey("reward_model"));
    }

    [Fact]
    public async Task The_rlhf_recipe_runs_embedded_sft_then_on_policy_feedback_reward_model_and_grpo()
    {
        using var folder = new TempFolder();
        var data = Path.Combine(RepositoryRoot(), "examples", "quickstart", "data");
        var config = folder.PathOf("rlhf.yaml");
        await File.WriteAllTextAsync(config, $$"""
            name: tiny-rlhf
            seed: 5
            stages:
              pretrain: { corpus: ["{{data}}/pretrain.txt"], max_steps: 20, batch_size: 8, context_length: 64, vocab_size: 512 }
              ingest:
                inputs: [{ path: "{{data}}/support.jsonl", format: openai }]
                near_duplicates: { enabled: false }
              sft: { max_steps: 10, batch_size: 8, learning_rate: 1.0e-3, max_seq_length: 160, eval_every: 1000 }
              feedback: { samples_per_prompt: 4, max_prompts: 24, max_new_tokens: 12, max_prompt_length: 64, batch_size: 8 }
              reward_model: { max_steps: 4, batch_size: 4, max_seq_length: 128, eval_every: 1000 }
              grpo:
                rewards: [{ source: reward_model }, { source: house_style, weight: 0.5 }]
                eval_reward: house_style
                eval_prompts: 4
                max_steps: 3
                prompts_per_step: 2
                num_generations: 3
                batch_size: 6
                max_new_tokens: 10
                max_prompt_length: 64
                eval_every: 0
            """);
        var artifacts = Path.Combine(folder.Path, "artifacts");

        var exitCode = await RunCommand.RunAsync(new FileInfo(config), artifacts, select: null, TestContext.Current.CancellationToken);

        var runs = new PipelineStateStore(DocumentStoreFactory.Create(artifacts, PipelineServices.StateContainer)).Runs;
        var run = Assert.Single(await runs.ListAsync(TestContext.Current.CancellationToken).ToListAsync());
        Assert.True(exitCode == 0, $"run ended {run.State}: {run.FailedStage} {run.FailureReason}");
        Assert.Equal(["pretrain", "ingest", "sft", "feedback", "reward_model", "grpo"], run.Stages.Select(s => s.Stage));

        // The reward model trained on the feedback stage's pairs, not on the ingested dataset.
        var feedback = run.Find("feedback")!.Metrics;
        Assert.Equal((24, 96), (feedback["prompts"], feedback["samples"]));
        Assert.True(feedback["train_pairs"] > 0);
        Assert.Equal(feedback["train_pairs"], run.Find("reward_model")!.Metrics["train_pairs"]);

        // GRPO ran its steps against both sources, logged each, and the judge scored the start and the end.
        var grpo = run.Find("grpo")!.Metrics;
        Assert.Equal(3, grpo["steps"]);
        foreach (var name in new[] { "rewards/reward_model", "rewards/house_style", "objective/kl", "eval/reward_start", "eval/reward", "completions/mean_length" })
            Assert.True(grpo.ContainsKey(name) && double.IsFinite(grpo[name]), $"{name} missing or not finite: {string.Join(", ", grpo.Keys)}");
        Assert.Equal(ArtifactKind.Model, run.Artifacts["policy_model"].Kind);
        var policy = Path.Combine(artifacts, run.Artifacts["policy_model"].Id);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(policy, "metrics.jsonl")).Length);
        Assert.NotEmpty(File.ReadAllLines(Path.Combine(policy, "samples.jsonl")));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test binaries.");
    }
}
