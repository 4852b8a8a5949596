using System.Text.Json.Nodes;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.PromptTuning;
using Pipeline.Modeling.Generation;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

public sealed class PromptTuningTests
{
    private static PromptTuningModel Tune(CausalLanguageModel model, int tokens = 3)
    {
        using var generator = new Generator(9);
        return PromptTuningAdapter.Apply(model, new PromptTuningConfig { NumVirtualTokens = tokens }, generator);
    }

    [Fact]
    public void Only_the_virtual_embeddings_get_gradients()
    {
        using var model = AdapterTestModels.Create("llama");
        var tuned = Tune(model);
        var ids = AdapterTestModels.Ids();

        tuned.Forward(ids, labels: ids).Loss!.backward();

        Assert.True(((PromptTuning)tuned.Prompt).Embeddings.grad is { } grad && grad.abs().sum().item<float>() > 0);
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is null, p.name));
        Assert.Equal([((PromptTuning)tuned.Prompt).Embeddings], tuned.parameters().Where(p => p.requires_grad));
    }

    [Fact]
    public void The_prompt_starts_as_embeddings_of_vocabulary_tokens()
    {
        using var model = AdapterTestModels.Create("gpt2");
        var prompt = ((PromptTuning)Tune(model, tokens: 5).Prompt).Embeddings;
        var vocabulary = model.EmbedTokens(arange(TinyModels.Vocab).unsqueeze(0)).squeeze(0);    // (V, hidden)
        for (var i = 0; i < 5; i++)
            Assert.True(vocabulary.eq(prompt[i]).all(1).any().item<bool>(), $"virtual token {i} is no vocabulary embedding");
    }

    [Fact]
    public void Logits_cover_the_real_tokens_and_equal_a_forward_with_the_prompt_prepended()
    {
        using var model = AdapterTestModels.Create("llama");
        var tuned = Tune(model);
        var ids = AdapterTestModels.Ids();                                         // (2, 9)
        using var _ = no_grad();

        var output = tuned.Forward(ids, labels: ids);
        var embeddings = cat([((PromptTuning)tuned.Prompt).Embeddings.unsqueeze(0).expand(2, -1, -1), model.EmbedTokens(ids)], 1);
        var labels = cat([full(2, 3, -100L), ids], 1);
        var expected = model.call(new CausalLmInput(null, Labels: labels, InputEmbeddings: embeddings));

        Assert.Equal([2L, 9L, (long)TinyModels.Vocab], output.Logits.shape);
        Assert.True(output.Logits.IsIdenticalTo(expected.Logits[.., 3.., ..]));
        Assert.Equal(expected.Loss!.item<float>(), output.Loss!.item<float>());
    }

    [Fact]
    public void Generation_with_a_cache_matches_generation_without()
    {
        using var model = AdapterTestModels.Create("gpt2");
        var tuned = Tune(model, tokens: 4);
        int[][] prompts = [[1, 2, 3, 4, 5], [6, 7]];                               // left padding exercises the mask

        var cached = SequenceGenerator.Generate(tuned, prompts, new GenerationOptions { MaxNewTokens = 6, UseCache = true });
        var uncached = SequenceGenerator.Generate(tuned, prompts, new GenerationOptions { MaxNewTokens = 6, UseCache = false });
        var plain = SequenceGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = 6 });

        Assert.Equal(uncached.Select(s => s.TokenIds), cached.Select(s => s.TokenIds));
        Assert.NotEqual(plain.Select(s => s.TokenIds), cached.Select(s => s.TokenIds));
    }

    [Fact]
    public void Save_and_load_use_pefts_layout()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("llama");
        var tuned = Tune(model, tokens: 6);
        PromptTuningAdapter.Save(tuned, folder.Path, "tiny-base");

        using (var file = SafetensorsFile.Open(Path.Combine(folder.Path, "adapter_model.safetensors")))
        {
            Assert.Equal(["prompt_embeddings"], file.Tensors.Select(t => t.Name));
            Assert.Equal([6L, 32L], file.Tensors[0].Shape);
        }
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "adapter_config.json")))!.AsObject();
        Assert.Equal("PROMPT_TUNING", (string)json["peft_type"]!);
        Assert.Equal("CAUSAL_LM", (string)json["task_type"]!);
        Assert.Equal(6, (int)json["num_virtual_tokens"]!);
        Assert.Equal(32, (int)json["token_dim"]!);
        Assert.Equal(1, (int)json["num_transformer_submodules"]!);
        Assert.Equal("SAMPLE_VOCAB", (string)json["prompt_tuning_init"]!);

        using var fresh = AdapterTestModels.Create("llama");
        var loaded = PromptTuningAdapter.Load(fresh, folder.Path);
        var ids = AdapterTestModels.Ids();
        Assert.True(AdapterTestModels.Logits(loaded, ids).IsIdenticalTo(AdapterTestModels.Logits(tuned, ids)));

        using var gpt2 = TinyModels.Create(TinyModels.Gpt2() with { HiddenSize = 48, HeadDim = 12, IntermediateSize = 192 });
        Assert.Contains("token_dim: 32 does not match the model's hidden size 48", Assert.Throws<AdapterConfigException>(() => PromptTuningAdapter.Load(gpt2, folder.Path)).Message);
        Assert.Contains("PromptTuningAdapter.Load", Assert.Throws<AdapterConfigException>(() => LoraAdapter.Load(fresh, folder.Path)).Message);
    }
}
