using Pipeline.Contracts;
using Pipeline.Artifacts.State;
using Pipeline.Cli.Commands;
using Pipeline.Orchestration.Messaging;
using Pipeline.Orchestration.Runs;
using Pipeline.Orchestration.Stages;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Cli.Tests.Run;

/// <summary>
/// The quickstart's headline figures on the quickstart itself: examples/quickstart/quickstart.yaml, read as shipped and
/// scaled down for CI (fewer steps), on its own data. SFT must lower the validation loss below the base model's, and
/// the reward model must rank held-out pairs as the labeler did well above chance. A change to the shipped config or
/// data that breaks either story fails here.
/// </summary>
[Collection(EmbeddedRunCollection.Name)]
public sealed class QuickstartHeadlineTests
{
    [Fact]
    public async Task The_quickstart_scaled_for_ci_lowers_validation_loss_and_its_reward_model_agrees_with_the_labeler()
    {
        using var folder = new TempFolder();
        var config = folder.PathOf("quickstart-ci.yaml");
        await File.WriteAllTextAsync(config, ScaledQuickstart());
        var artifacts = Path.Combine(folder.Path, "artifacts");

        var exitCode = await RunCommand.RunAsync(new FileInfo(config), artifacts, select: null, TestContext.Current.CancellationToken);

        var runs = new PipelineStateStore(DocumentStoreFactory.Create(artifacts, PipelineServices.StateContainer)).Runs;
        var run = Assert.Single(await runs.ListAsync(TestContext.Current.CancellationToken).ToListAsync());
        Assert.True(exitCode == 0, $"run ended {run.State}: {run.FailedStage} {run.FailureReason}");
        Assert.Equal(["pretrain", "ingest", "sft", "reward_model"], run.Stages.Select(s => s.Stage));

        // Observed with seeds 42, 7 and 1 (2 threads): 5.82 → 4.06, 6.00 → 4.09, 5.86 → 4.00; the loss falls by ~1.8 nats.
        var sft = run.Find("sft")!.Metrics;
        Assert.True(sft[MetricNames.EvalLoss] < sft[MetricNames.BaseEvalLoss] - 0.5,
            $"SFT should lower the validation loss well below the base model's: {sft[MetricNames.BaseEvalLoss]:0.000} → {sft[MetricNames.EvalLoss]:0.000}");

        // Observed with seeds 42, 7 and 1: 78.0% of 82, 80.8% of 99, 78.7% of 89 held-out pairs (one standard error ≈ 4.5 points).
        // 65% leaves three standard errors below the lowest, and is still far above chance (50%).
        var rewardModel = run.Find("reward_model")!.Metrics;
        Assert.True(rewardModel[MetricNames.EvalAccuracy] > 0.65,
            $"the reward model should agree with the labeler on held-out pairs well above chance (50%): {rewardModel[MetricNames.EvalAccuracy]:P1}");
        Assert.True(rewardModel["validation_pairs"] >= 50, $"too few held-out pairs to judge agreement: {rewardModel["validation_pairs"]}");
    }

    /// <summary>
    /// The shipped config with its data paths made absolute and its sizes cut: pretraining 300 → 30 steps, SFT one epoch
    /// (~85 steps) → 60 steps, no mid-run evaluations or checkpoints. Every other setting (learning rates, sequence
    /// lengths, PII policy, validation split) stays as shipped. The run stops at the reward model: the quickstart's own
    /// reward model learns from the feedback stage's on-policy pairs, but a CI-sized SFT model's samples mostly tie
    /// under the labeler (120 of 160 prompts in a trial, leaving 5 held-out pairs), too few to measure agreement; so
    /// here it learns from data/preferences.jsonl, pairs the same labeler ranked, ingested beside the conversations.
    /// </summary>
    private static string ScaledQuickstart()
    {
        var root = RepositoryRoot();
        var folder = Path.Combine(root, "examples", "quickstart");
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(folder, "quickstart.yaml"))) yaml.Load(reader);
        var config = (YamlMappingNode)yaml.Documents[0].RootNode;
        config.Children.Remove("artifacts");
        var stages = (YamlMappingNode)config["stages"];

        var pretrain = (YamlMappingNode)stages["pretrain"];
        pretrain.Children["corpus"] = new YamlSequenceNode(((YamlSequenceNode)pretrain["corpus"]).Select(p => Absolute(folder, p)));
        pretrain.Children["max_steps"] = new YamlScalarNode("30");

        var ingest = (YamlMappingNode)stages["ingest"];
        foreach (var input in ((YamlSequenceNode)ingest["inputs"]).Cast<YamlMappingNode>())
            input.Children["path"] = Absolute(folder, input["path"]);
        var files = ((YamlSequenceNode)ingest["inputs"]).Cast<YamlMappingNode>().Select(i => Path.GetFileName(i["path"].ToString())).ToList();
        Assert.Contains("preferences.jsonl", files);

        ((YamlMappingNode)stages["sft"]).Children["max_steps"] = new YamlScalarNode("60");
        foreach (var stage in new[] { "sft", "reward_model" })
        {
            var settings = (YamlMappingNode)stages[stage];
            settings.Children["eval_every"] = new YamlScalarNode("1000");
            settings.Children["checkpoint_every"] = new YamlScalarNode("1000");
        }
        foreach (var later in new[] { "feedback", "grpo", "ppo", "dpo", "evaluate" }) stages.Children.Remove(later);

        using var writer = new StringWriter();
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static YamlScalarNode Absolute(string folder, YamlNode path) =>
        new(Path.GetFullPath(Path.Combine(folder, path.ToString()))) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above the test binaries.");
    }
}
