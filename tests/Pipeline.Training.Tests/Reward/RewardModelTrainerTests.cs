using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Loop;
using Pipeline.Training.Reward;
using Pipeline.Training.Tests.Support;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Reward;

public sealed class RewardModelTrainerTests
{
    [Fact]
    public async Task A_short_run_on_separable_pairs_ranks_every_held_out_pair_correctly()
    {
        using var folder = new TempFolder();
        var result = await RewardModelTrainer.TrainAsync(new RewardModelJob
        {
            Model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 12),
            Tokenizer = TinyTokenizer.WithMerges,
            ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Preferences(0, 8),
            Validation = TrainingTexts.Preferences(8, 4),
            OutputDirectory = folder.PathOf("rm"),
        }, new RewardModelSettings { Seed = 3, Epochs = 10, BatchSize = 4, LearningRate = 2e-3, EvalEvery = 5, CenterRewardsCoefficient = 0.01 });

        var first = result.Training.Evaluations[0].Metrics;
        var last = result.Metrics;
        Assert.Equal(1.0, last[MetricNames.EvalAccuracy]);
        Assert.True(last[MetricNames.EvalMeanMargin] > 1.0, $"mean margin {last[MetricNames.EvalMeanMargin]}");
        Assert.True(last[MetricNames.EvalLoss] < first[MetricNames.EvalLoss]);

        // The saved folder scores as the trained model does: chosen above rejected.
        using var loaded = RewardModelCheckpoint.Load(folder.PathOf("rm"));
        var encoder = new PreferencePairEncoder(TinyTokenizer.WithMerges, new ChatMlTemplate(), 512);
        var pair = encoder.EncodeAll([TrainingTexts.Preference("Kim")]).Single();
        using var _ = no_grad();
        var (ids, mask, _) = RightPadding.Collate([pair.Chosen, pair.Rejected], TinyTokenizer.Pad, CPU);
        var rewards = loaded.call(ids, mask).data<float>().ToArray();
        Assert.True(rewards[0] > rewards[1], $"chosen {rewards[0]}, rejected {rewards[1]}");
    }

    [Fact]
    public async Task An_example_without_a_rejected_reply_is_named()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RewardModelTrainer.TrainAsync(new RewardModelJob
        {
            Model = TinyModels.Create(TinyTokenizer.WithMerges),
            Tokenizer = TinyTokenizer.WithMerges,
            ChatTemplate = new ChatMlTemplate(),
            Train = [TrainingTexts.Greeting("Anna")],
            OutputDirectory = "unused",
        }, new RewardModelSettings { Seed = 1 }));
        Assert.Contains("'greet-Anna'", error.Message);
    }

    [Fact]
    public async Task With_lora_the_adapters_are_merged_and_the_output_is_a_plain_classifier()
    {
        using var folder = new TempFolder();
        var result = await RewardModelTrainer.TrainAsync(new RewardModelJob
        {
            Model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 12),
            Tokenizer = TinyTokenizer.WithMerges,
            ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Preferences(0, 4),
            OutputDirectory = folder.PathOf("rm"),
        }, new RewardModelSettings { Seed = 3, MaxSteps = 2, BatchSize = 4, Method = FineTuningMethod.Lora, Lora = new LoraSettings { R = 2, Dropout = 0 } });

        Assert.Equal(2, result.Training.Steps.Count);
        using var loaded = RewardModelCheckpoint.Load(folder.PathOf("rm"));          // strict: no lora_A/lora_B keys left
        var encoder = new PreferencePairEncoder(TinyTokenizer.WithMerges, new ChatMlTemplate(), 512);
        var pair = encoder.EncodeAll([TrainingTexts.Preference("Kim")]).Single();
        using var _ = no_grad();
        var (ids, mask, _) = RightPadding.Collate([pair.Chosen, pair.Rejected], TinyTokenizer.Pad, CPU);
        result.Model.eval();
        Assert.True(result.Model.call(ids, mask).allclose(loaded.call(ids, mask), rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(FineTuningMethod.Ia3)]
    [InlineData(FineTuningMethod.LnTuning)]
    public async Task Mergeable_peft_methods_are_merged_into_a_plain_classifier(FineTuningMethod method)
    {
        using var folder = new TempFolder();
        var result = await RewardModelTrainer.TrainAsync(new RewardModelJob
        {
            Model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 12),
            Tokenizer = TinyTokenizer.WithMerges,
            ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Preferences(0, 4),
            OutputDirectory = folder.PathOf("rm"),
        }, new RewardModelSettings { Seed = 3, MaxSteps = 2, BatchSize = 4, LearningRate = 1e-2, Method = method });

        using var loaded = RewardModelCheckpoint.Load(folder.PathOf("rm"));          // strict: no ia3_l / ln_tuning_layers keys left
        var encoder = new PreferencePairEncoder(TinyTokenizer.WithMerges, new ChatMlTemplate(), 512);
        var pair = encoder.EncodeAll([TrainingTexts.Preference("Kim")]).Single();
        using var _ = no_grad();
        var (ids, mask, _) = RightPadding.Collate([pair.Chosen, pair.Rejected], TinyTokenizer.Pad, CPU);
        result.Model.eval();
        Assert.True(result.Model.call(ids, mask).allclose(loaded.call(ids, mask), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public async Task Additive_methods_are_refused_with_the_reason_and_the_allowed_methods()
    {
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => RewardModelTrainer.TrainAsync(new RewardModelJob
        {
            Model = TinyModels.Create(TinyTokenizer.WithMerges),
            Tokenizer = TinyTokenizer.WithMerges,
            ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Preferences(0, 4),
            OutputDirectory = "unused",
        }, new RewardModelSettings { Seed = 1, Method = FineTuningMethod.Bottleneck }));
        Assert.Contains("method: bottleneck is not supported for reward models", error.Message);
        Assert.Contains("allowed: full, lora, qlora, freeze, bitfit, ln_tuning, ia3", error.Message);
    }
}
