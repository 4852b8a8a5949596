using System.Text.Json.Nodes;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.PTuning;
using Pipeline.Modeling.Adapters.PromptTuning;
using Pipeline.Modeling.Generation;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

public sealed class PTuningTests
{
    private static PromptTuningModel Tune(CausalLanguageModel model, PromptEncoderType encoder = PromptEncoderType.Mlp, int tokens = 3)
    {
        using var generator = new Generator(9);
        return PTuningAdapter.Apply(model, new PTuningConfig { NumVirtualTokens = tokens, EncoderType = encoder, EncoderHiddenSize = 16 }, generator);
    }

    [Theory]
    [InlineData(PromptEncoderType.Mlp, new[] { "embedding.weight", "mlp_head.0.weight", "mlp_head.0.bias", "mlp_head.2.weight", "mlp_head.2.bias", "mlp_head.4.weight", "mlp_head.4.bias" })]
    [InlineData(PromptEncoderType.Lstm, new[] { "embedding.weight", "mlp_head.0.weight", "mlp_head.0.bias", "mlp_head.2.weight", "mlp_head.2.bias" })]
    public void Only_the_prompt_encoder_gets_gradients(PromptEncoderType encoder, string[] pefts)
    {
        using var model = AdapterTestModels.Create("llama");
        var tuned = Tune(model, encoder);
        var ids = AdapterTestModels.Ids();

        tuned.Forward(ids, labels: ids).Loss!.backward();

        var trainable = tuned.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        Assert.All(trainable, p => Assert.StartsWith("prompt_encoder.", p.name));
        // PEFT's module names; the LSTM adds its own lstm_head.* weights.
        Assert.Equal(pefts, trainable.Select(p => p.name["prompt_encoder.".Length..]).Where(n => !n.StartsWith("lstm_head.", StringComparison.Ordinal)));
        Assert.Equal(encoder == PromptEncoderType.Lstm, trainable.Any(p => p.name.StartsWith("prompt_encoder.lstm_head.", StringComparison.Ordinal)));
        Assert.All(trainable, p => Assert.True(p.parameter.grad is { } grad && grad.abs().sum().item<float>() > 0, p.name));
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is null, p.name));
    }

    [Fact]
    public void The_encoder_output_is_prepended_and_logits_cover_the_real_tokens()
    {
        using var model = AdapterTestModels.Create("gpt2");
        var tuned = Tune(model, tokens: 4);
        var ids = AdapterTestModels.Ids();                                      // (2, 9)
        using var _ = no_grad();

        var virtualTokens = tuned.Prompt.VirtualTokens();
        Assert.Equal([4L, 32L], virtualTokens.shape);
        var embeddings = cat([virtualTokens.unsqueeze(0).expand(2, -1, -1), model.EmbedTokens(ids)], 1);
        var expected = model.call(new CausalLmInput(null, InputEmbeddings: embeddings)).Logits[.., 4.., ..];
        Assert.True(tuned.Forward(ids).Logits.IsIdenticalTo(expected));

        int[][] prompts = [[1, 2, 3, 4, 5], [6, 7]];
        var cached = SequenceGenerator.Generate(tuned, prompts, new GenerationOptions { MaxNewTokens = 5, UseCache = true });
        var uncached = SequenceGenerator.Generate(tuned, prompts, new GenerationOptions { MaxNewTokens = 5, UseCache = false });
        Assert.Equal(uncached.Select(s => s.TokenIds), cached.Select(s => s.TokenIds));
    }

    [Fact]
    public void Save_folds_the_encoder_and_load_computes_the_same_logits_with_pefts_names()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("llama");
        var config = new PTuningConfig { NumVirtualTokens = 5, EncoderType = PromptEncoderType.Lstm, EncoderHiddenSize = 16 };
        using var generator = new Generator(3);
        var tuned = PTuningAdapter.Apply(model, config, generator);
        PTuningAdapter.Save(tuned, config, folder.Path, "tiny-base");

        using (var file = SafetensorsFile.Open(Path.Combine(folder.Path, "adapter_model.safetensors")))
        {
            Assert.Equal(["prompt_embeddings"], file.Tensors.Select(t => t.Name));
            Assert.Equal([5L, 32L], file.Tensors[0].Shape);
        }
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "adapter_config.json")))!.AsObject();
        Assert.Equal("P_TUNING", (string)json["peft_type"]!);
        Assert.Equal("LSTM", (string)json["encoder_reparameterization_type"]!);
        Assert.Equal(16, (int)json["encoder_hidden_size"]!);
        Assert.Equal(2, (int)json["encoder_num_layers"]!);
        Assert.Equal(32, (int)json["token_dim"]!);
        Assert.Equal(5, (int)json["num_virtual_tokens"]!);
        Assert.Equal(json.Select(kv => kv.Key).Order(StringComparer.Ordinal), json.Select(kv => kv.Key));

        using var fresh = AdapterTestModels.Create("llama");
        var loaded = (PromptTuningModel)PeftAdapters.Load(fresh, folder.Path);
        Assert.False(((PTuningPromptEncoder)loaded.Prompt).HasHead);
        var ids = AdapterTestModels.Ids();
        Assert.True(AdapterTestModels.Logits(loaded, ids).allclose(AdapterTestModels.Logits(tuned, ids), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Zero_virtual_tokens_are_refused_naming_the_key()
    {
        using var model = AdapterTestModels.Create("llama");
        Assert.Contains("p_tuning: num_virtual_tokens: 0 must be at least 1",
            Assert.Throws<AdapterConfigException>(() => PTuningAdapter.Apply(model, new PTuningConfig { NumVirtualTokens = 0 })).Message);
    }
}
