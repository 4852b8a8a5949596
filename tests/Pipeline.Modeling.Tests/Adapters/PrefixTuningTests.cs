using System.Text.Json.Nodes;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.PrefixTuning;
using Pipeline.Modeling.Generation;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

public sealed class PrefixTuningTests
{
    private static PrefixTuningModel Tune(CausalLanguageModel model, int tokens = 3, bool projection = true)
    {
        using var generator = new Generator(9);
        return PrefixTuningAdapter.Apply(model, new PrefixTuningConfig { NumVirtualTokens = tokens, PrefixProjection = projection }, generator);
    }

    [Theory]
    [InlineData("llama", true)]
    [InlineData("gpt2", false)]
    public void Only_the_prefix_encoder_gets_gradients(string architecture, bool projection)
    {
        using var model = AdapterTestModels.Create(architecture);
        var tuned = Tune(model, projection: projection);
        var ids = AdapterTestModels.Ids();

        tuned.Forward(ids, labels: ids).Loss!.backward();

        var trainable = tuned.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        Assert.Equal(projection ? ["prefix_encoder.embedding.weight", "prefix_encoder.transform.0.weight", "prefix_encoder.transform.0.bias",
            "prefix_encoder.transform.2.weight", "prefix_encoder.transform.2.bias"] : ["prefix_encoder.embedding.weight"], trainable.Select(p => p.name));
        Assert.All(trainable, p => Assert.True(p.parameter.grad is { } grad && grad.abs().sum().item<float>() > 0, p.name));
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is null, p.name));
    }

    [Fact]
    public void The_prefix_has_pefts_width_and_the_logits_keep_the_inputs_length()
    {
        using var model = AdapterTestModels.Create("llama");                     // 2 layers, 2 kv heads of 8
        var tuned = Tune(model, tokens: 5);
        using var _ = no_grad();

        Assert.Equal([5L, 2 * 2 * 16], tuned.Prefix.KeyValues().shape);         // (n, layers · 2 · kvHeads · headDim)
        var ids = AdapterTestModels.Ids();                                      // (2, 9)
        Assert.Equal([2L, 9L, (long)TinyModels.Vocab], tuned.Forward(ids).Logits.shape);
        Assert.False(tuned.Forward(ids).Logits.allclose(model.Forward(ids).Logits), "the prefix changed nothing");
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void The_prefix_in_a_cache_computes_what_the_differentiable_pass_computes(string architecture)
    {
        using var model = AdapterTestModels.Create(architecture);
        var tuned = Tune(model, tokens: 4);
        var ids = AdapterTestModels.Ids();                                      // (2, 9)
        using var _ = no_grad();
        var whole = tuned.Forward(ids).Logits;                                  // no cache: KvCache.WithPrefix

        // Prompt pass into an empty cache (the prefix is written into it first), then one token at a time.
        using var cache = tuned.CreateCache();
        var first = tuned.Forward(ids[.., ..5], cache: cache).Logits;
        Assert.Equal(4 + 5, cache.Length);
        Assert.True(first.allclose(whole[.., ..5, ..], rtol: 1e-4, atol: 1e-5));
        for (var t = 5; t < 9; t++)
        {
            var step = tuned.Forward(ids[.., t..(t + 1)], cache: cache).Logits;
            Assert.True(step.allclose(whole[.., t..(t + 1), ..], rtol: 1e-4, atol: 1e-5), $"position {t}");
        }
    }

    [Fact]
    public void Generation_with_a_cache_matches_generation_without()
    {
        using var model = AdapterTestModels.Create("llama");
        var tuned = Tune(model, tokens: 4);
        int[][] prompts = [[1, 2, 3, 4, 5], [6, 7]];                           // left padding exercises the mask

        var cached = SequenceGenerator.Generate(tuned, prompts, new GenerationOptions { MaxNewTokens = 6, UseCache = true });
        var uncached = SequenceGenerator.Generate(tuned, prompts, new GenerationOptions { MaxNewTokens = 6, UseCache = false });
        var plain = SequenceGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = 6 });

        Assert.Equal(uncached.Select(s => s.TokenIds), cached.Select(s => s.TokenIds));
        Assert.NotEqual(plain.Select(s => s.TokenIds), cached.Select(s => s.TokenIds));
    }

    [Fact]
    public void Save_folds_the_mlp_and_load_computes_the_same_logits_with_pefts_names()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("llama");
        var tuned = Tune(model, tokens: 6);
        PrefixTuningAdapter.Save(tuned, new PrefixTuningConfig { NumVirtualTokens = 6 }, folder.Path, "tiny-base");

        using (var file = SafetensorsFile.Open(Path.Combine(folder.Path, "adapter_model.safetensors")))
        {
            Assert.Equal(["prompt_embeddings"], file.Tensors.Select(t => t.Name));
            Assert.Equal([6L, 64L], file.Tensors[0].Shape);
        }
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "adapter_config.json")))!.AsObject();
        Assert.Equal("PREFIX_TUNING", (string)json["peft_type"]!);
        Assert.Equal("CAUSAL_LM", (string)json["task_type"]!);
        Assert.Equal(6, (int)json["num_virtual_tokens"]!);
        Assert.Equal(16, (int)json["token_dim"]!);                             // PEFT's grouped-query rule: kvHeads · headDim
        Assert.Equal(2, (int)json["num_attention_heads"]!);
        Assert.Equal(2, (int)json["num_layers"]!);
        Assert.Equal(16, (int)json["encoder_hidden_size"]!);
        Assert.True((bool)json["prefix_projection"]!);
        Assert.True((bool)json["inference_mode"]!);
        Assert.Equal(json.Select(kv => kv.Key).Order(StringComparer.Ordinal), json.Select(kv => kv.Key));   // sort_keys=True

        using var fresh = AdapterTestModels.Create("llama");
        var loaded = PrefixTuningAdapter.Load(fresh, folder.Path);
        Assert.False(loaded.Prefix.HasProjection);
        var ids = AdapterTestModels.Ids();
        Assert.True(AdapterTestModels.Logits(loaded, ids).allclose(AdapterTestModels.Logits(tuned, ids), rtol: 1e-5, atol: 1e-6));

        using var gpt2 = AdapterTestModels.Create("gpt2");
        Assert.Contains("do not match this model", Assert.Throws<AdapterConfigException>(() => PrefixTuningAdapter.Load(gpt2, folder.Path)).Message);
    }

    [Fact]
    public void A_prefix_of_zero_positions_is_refused_naming_the_key()
    {
        using var model = AdapterTestModels.Create("llama");
        var error = Assert.Throws<AdapterConfigException>(() => PrefixTuningAdapter.Apply(model, new PrefixTuningConfig { NumVirtualTokens = 0 }));
        Assert.Contains("prefix_tuning: num_virtual_tokens: 0 must be at least 1", error.Message);
    }
}
