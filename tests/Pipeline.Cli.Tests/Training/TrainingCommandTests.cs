using Pipeline.Cli.Commands;
using Pipeline.Cli.Commands.Training;
using Pipeline.Configuration;
using Pipeline.Configuration.Pretraining;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Tokenizers;
using Pipeline.Training.Pretraining;
using Pipeline.Training.Reward;

namespace Pipeline.Cli.Tests.Training;

public class TrainCommandTests
{
    private const string Config = """
        name: one-stage
        inputs: { base_model: models/base, dataset: data/ds }
        stages:
          ingest: { inputs: [{ path: data/a.jsonl }] }
          sft: { max_steps: 5 }
          reward_model: {}
        """;

    [Fact]
    public void Train_sft_keeps_only_the_sft_stage_and_the_inputs()
    {
        // The reward_model stage would need preference pairs; narrowed to sft, the config needs only sft's inputs.
        var narrowed = RunConfigLoader.Parse(TrainCommand.OnlyStage(Config, "sft", "c.yaml"), "c.yaml");
        Assert.Equal(["sft"], narrowed.EnabledStages);
        Assert.Equal(5, narrowed.Stages.Sft!.MaxSteps);
    }

    [Fact]
    public void Training_a_stage_the_config_lacks_says_how_to_add_it()
    {
        var error = Assert.Throws<CliException>(() => TrainCommand.OnlyStage("""
            name: x
            inputs: { base_model: m, dataset: d }
            stages: { sft: {} }
            """, "reward_model", "c.yaml"));
        Assert.Equal("c.yaml: there is no stages.reward_model section to train; add one (it may be empty: 'reward_model: {}').", error.Message);
    }
}

public class ScoreAndPretrainTests(TinyModelFolders models)
{
    [Fact]
    public void A_reward_model_scores_replies_deterministically_and_tells_them_apart()
    {
        using var folder = new TempFolder();
        var body = CausalLmLoader.Load(models.Llama.Directory);
        var rewardModel = RewardModel.FromCausalLm(body, seed: 3);
        RewardModelCheckpoint.Save(rewardModel, folder.Path, TokenizerLoader.Load(models.Llama.Directory).SpecialTokens.PadId);
        Pipeline.Training.FineTuning.TokenizerFiles.Copy(models.Llama.Directory, folder.Path);

        var first = RewardScorer.Score(folder.Path, "Where is my parcel?", ["It arrives tomorrow.", "No idea."]);
        var again = RewardScorer.Score(folder.Path, "Where is my parcel?", ["It arrives tomorrow.", "No idea."]);

        Assert.Equal(first, again);
        Assert.All(first, r => Assert.True(float.IsFinite(r)));
        Assert.NotEqual(first[0], first[1]);
    }

    [Fact]
    public async Task Pretraining_writes_a_loadable_model_with_its_tokenizer_and_lowers_the_loss()
    {
        using var folder = new TempFolder();
        var corpus = folder.PathOf("corpus.txt");
        await File.WriteAllTextAsync(corpus, string.Join("\n\n", Enumerable.Range(0, 200).Select(i =>
            $"The parcel {i % 7} arrived on day {i % 5}. Thank you for waiting, the support team is happy to help.")));
        var settings = new PretrainSettings
        {
            Corpus = [corpus], VocabSize = 300, ContextLength = 32, MaxSteps = 30, BatchSize = 8, LearningRate = 3e-3, Seed = 1, CheckpointEvery = 1000,
        };
        var output = Path.Combine(folder.Path, "model");

        var result = await Pretrainer.TrainAsync(settings.Corpus, settings, output, new Pipeline.Training.Loop.TrainingHooks());

        Assert.Equal(output, result.OutputDirectory);
        var steps = result.Training.Steps;
        Assert.True(steps[^1].Loss < steps[0].Loss * 0.7, $"loss {steps[0].Loss} → {steps[^1].Loss}");
        Assert.True(result.Metrics["eval/perplexity"] < 300, $"held-out perplexity {result.Metrics["eval/perplexity"]} is no better than uniform over 300 tokens");
        var model = CausalLmLoader.Load(output);
        var tokenizer = TokenizerLoader.Load(output);
        Assert.Equal(tokenizer.VocabSize, model.Config.VocabSize);
        Assert.Equal("The parcel 3 arrived", tokenizer.Decode(tokenizer.Encode("The parcel 3 arrived")));
    }
}
