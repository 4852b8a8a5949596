using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Alignment.Dpo;
using Pipeline.Training.Alignment.Grpo;
using Pipeline.Training.Alignment.Loop;
using Pipeline.Training.Loop;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Alignment;

/// <summary>Bad inputs are refused before any compute, naming the key or the data.</summary>
public sealed class AlignmentInputErrorTests
{
    [Fact]
    public async Task An_unknown_reward_source_names_the_key_and_the_sources_there_are()
    {
        using var folder = new TempFolder();
        var settings = AlignmentResumeTests.Grpo() with { Rewards = [new RewardSourceSettings { Source = "house_styel" }], EvalReward = "reward_model" };
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            GrpoTrainer.TrainAsync(AlignmentResumeTests.Job(TinyModels.Create(TinyTokenizer.WithMerges), folder.PathOf("out"), new TrainingHooks()), settings));
        Assert.Contains("stages.grpo.rewards[0].source: 'house_styel' is not a reward source; available: letter_share", error.Message);
        Assert.Contains("stages.grpo.eval_reward: reward_model needs a reward model: add the reward_model stage", error.Message);
    }

    [Fact]
    public async Task A_dataset_without_preference_pairs_is_refused_for_dpo()
    {
        using var folder = new TempFolder();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DpoTrainer.TrainAsync(new DpoJob
        {
            Policy = TinyModels.Create(TinyTokenizer.WithMerges), LoadReference = () => TinyModels.Create(TinyTokenizer.WithMerges),
            Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Greetings(0, 4), OutputDirectory = folder.PathOf("out"),
        }, new DpoSettings { Seed = 1 }));
        Assert.Contains("There are no preference pairs to train on: none of the 4 training rows has both \"chosen\" and \"rejected\"", error.Message);
    }

    [Fact]
    public void A_group_of_one_is_refused_by_the_config()
    {
        var error = Assert.Throws<RunConfigException>(() => RunConfigLoader.Parse("""
            name: x
            inputs: { dataset: d, sft_model: m }
            stages:
              grpo:
                num_generations: 1
                rewards: [{ source: house_style }]
            """, "run.yaml"));
        Assert.Contains("stages.grpo.num_generations", error.Message);
    }

    [Fact]
    public void A_run_whose_rewards_name_the_reward_model_needs_one()
    {
        var error = Assert.Throws<RunConfigException>(() => RunConfigLoader.Parse("""
            name: x
            inputs: { dataset: d, sft_model: m }
            stages:
              grpo: {}
            """, "run.yaml"));
        Assert.Contains("stages.grpo: needs a reward model; add the reward_model stage, or set inputs.reward_model", error.Message);
        // Rule-based rewards alone need none.
        RunConfigLoader.Parse("""
            name: x
            inputs: { dataset: d, sft_model: m }
            stages:
              grpo:
                rewards: [{ source: house_style }]
            """, "run.yaml");
    }

    [Fact]
    public async Task Dpo_trains_without_validation_pairs()
    {
        using var folder = new TempFolder();
        var result = await DpoTrainer.TrainAsync(new DpoJob
        {
            Policy = TinyModels.Create(TinyTokenizer.WithMerges), LoadReference = () => TinyModels.Create(TinyTokenizer.WithMerges),
            Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Preferences(0, 4), OutputDirectory = folder.PathOf("out"),
        }, new DpoSettings { Seed = 1, MaxSteps = 2, BatchSize = 2 });
        Assert.Equal(2, result.Training.Step);
        Assert.NotNull(result.OutputDirectory);
    }
}
