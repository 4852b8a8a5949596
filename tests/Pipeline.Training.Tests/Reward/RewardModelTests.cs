using System.Text.Json.Nodes;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Safetensors;
using Pipeline.Training.Loop;
using Pipeline.Training.Reward;
using Pipeline.Training.Tests.Support;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Reward;

public sealed class RewardModelTests
{
    [Fact]
    public void The_reward_is_read_at_the_last_real_token_so_right_padding_changes_nothing()
    {
        using var model = RewardModel.FromCausalLm(TinyModels.Create(TinyTokenizer.BytesOnly, seed: 3), seed: 4);
        using var _ = no_grad();
        var shortRow = new[] { 10, 20, 30 };
        var longRow = new[] { 10, 20, 30, 40, 50 };
        var alone = model.call(tensor(shortRow.Select(i => (long)i).ToArray(), [1, 3]), null).item<float>();
        var (ids, mask, _) = RightPadding.Collate([shortRow, longRow], TinyTokenizer.Pad, CPU);
        var batched = model.call(ids, mask).data<float>().ToArray();
        var longAlone = model.call(tensor(longRow.Select(i => (long)i).ToArray(), [1, 5]), null).item<float>();

        Assert.Equal(alone, batched[0], 5);
        Assert.Equal(longAlone, batched[1], 5);
        Assert.NotEqual(batched[0], batched[1]);
    }

    [Theory]
    [InlineData(ModelArchitecture.Llama, "LlamaForSequenceClassification", "model.")]
    [InlineData(ModelArchitecture.Gpt2, "GPT2ForSequenceClassification", "transformer.")]
    public void Saves_in_the_sequence_classification_layout_and_loads_back_with_the_same_scores(ModelArchitecture architecture, string className, string bodyPrefix)
    {
        using var folder = new TempFolder();
        var config = ModelPresets.Create("tiny", architecture, TinyTokenizer.BytesOnly.VocabSize) with { HiddenSize = 32, IntermediateSize = 64, HeadDim = 8 };
        using var model = RewardModel.FromCausalLm(ModelFactory.CreateRandom(config, seed: 8), seed: 9);
        RewardModelCheckpoint.Save(model, folder.Path, padTokenId: TinyTokenizer.Pad);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "config.json")))!;
        Assert.Equal(className, json["architectures"]![0]!.GetValue<string>());
        Assert.Equal(1, json["num_labels"]!.GetValue<int>());
        Assert.Equal("LABEL_0", json["id2label"]!["0"]!.GetValue<string>());
        Assert.Equal(TinyTokenizer.Pad, json["pad_token_id"]!.GetValue<int>());
        using (var weights = ShardedSafetensors.Open(folder.Path))
        {
            var names = weights.Tensors.Select(t => t.Name).ToList();
            Assert.Equal([1L, 32L], weights.GetInfo("score.weight").Shape);
            Assert.All(names.Where(n => n != "score.weight"), n => Assert.StartsWith(bodyPrefix, n));
            Assert.DoesNotContain(names, n => n.StartsWith("lm_head", StringComparison.Ordinal));
        }

        using var loaded = RewardModelCheckpoint.Load(folder.Path);
        using var _ = no_grad();
        var (ids, mask, _) = RightPadding.Collate([[5, 6, 7, 8], [9, 10]], TinyTokenizer.Pad, CPU);
        Assert.Equal(model.call(ids, mask).data<float>().ToArray(), loaded.call(ids, mask).data<float>().ToArray());
    }

    [Fact]
    public void A_causal_lm_folder_is_not_taken_for_a_reward_model()
    {
        using var folder = new TempFolder();
        using var lm = TinyModels.Create(TinyTokenizer.BytesOnly);
        CausalLmLoader.Save(lm, folder.Path);
        var error = Assert.Throws<ModelConfigException>(() => RewardModelCheckpoint.Load(folder.Path));
        Assert.Contains("LlamaForSequenceClassification", error.Message);
    }
}
