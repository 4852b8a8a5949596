using Pipeline.Modeling.Configuration;
using Pipeline.Modeling.Llama;

namespace Pipeline.Modeling.Tests.Configuration;

public sealed class ModelConfigJsonTests
{
    private const string Llama3Json = """
        {
          "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 128256,
          "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16,
          "num_attention_heads": 32, "num_key_value_heads": 8, "head_dim": 64, "hidden_act": "silu",
          "rms_norm_eps": 1e-05, "rope_theta": 500000.0, "max_position_embeddings": 131072,
          "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                           "original_max_position_embeddings": 8192, "rope_type": "llama3"},
          "tie_word_embeddings": true, "attention_bias": false, "mlp_bias": false,
          "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "torch_dtype": "bfloat16"
        }
        """;

    [Fact]
    public void Reads_a_llama3_config()
    {
        var c = ModelConfigJson.Read(Llama3Json);
        Assert.Equal(ModelArchitecture.Llama, c.Architecture);
        Assert.Equal((128256, 2048, 8192, 16, 32, 8, 64), (c.VocabSize, c.HiddenSize, c.IntermediateSize, c.NumLayers, c.NumHeads, c.NumKvHeads, c.HeadDim));
        Assert.Equal(1e-5, c.NormEps);
        Assert.Equal(500000.0, c.RopeTheta);
        Assert.Equal(new RopeScaling.Llama3(32, 1, 4, 8192), c.RopeScaling);
        Assert.True(c.TieWordEmbeddings);
        Assert.False(c.QkvBias);
        Assert.Equal([128001, 128008, 128009], c.EosTokenIds);
        Assert.Equal(128000, c.BosTokenId);
        Assert.Equal(TorchSharp.torch.ScalarType.BFloat16, c.ScalarType);
    }

    [Fact]
    public void Qwen2_has_qkv_biases_and_no_output_bias_and_defaults_fill_the_rest()
    {
        var c = ModelConfigJson.Read("""
            {"model_type": "qwen2", "vocab_size": 100, "hidden_size": 64, "intermediate_size": 128,
             "num_hidden_layers": 2, "num_attention_heads": 4, "rope_scaling": {"type": "linear", "factor": 2.0}}
            """);
        Assert.True(c.QkvBias);
        Assert.False(c.OutputProjectionBias);
        Assert.Equal(4, c.NumKvHeads);           // defaults to the number of heads
        Assert.Equal(16, c.HeadDim);             // hidden / heads
        Assert.Equal(1e-6, c.NormEps);
        Assert.Equal(10000.0, c.RopeTheta);
        Assert.False(c.TieWordEmbeddings);
        Assert.Equal(new RopeScaling.Linear(2.0), c.RopeScaling);
        Assert.Equal("float32", c.TorchDtype);
    }

    [Fact]
    public void Llama_attention_bias_covers_all_four_projections()
    {
        var c = ModelConfigJson.Read("""
            {"model_type": "llama", "vocab_size": 100, "hidden_size": 64, "intermediate_size": 128,
             "num_hidden_layers": 2, "num_attention_heads": 4, "attention_bias": true, "mlp_bias": true}
            """);
        Assert.True(c.QkvBias && c.OutputProjectionBias && c.MlpBias);
    }

    [Fact]
    public void Reads_gpt2_names()
    {
        var c = ModelConfigJson.Read("""
            {"model_type": "gpt2", "vocab_size": 50257, "n_embd": 768, "n_layer": 12, "n_head": 12,
             "n_positions": 1024, "n_inner": null, "layer_norm_epsilon": 1e-05, "activation_function": "gelu_new",
             "bos_token_id": 50256, "eos_token_id": 50256}
            """);
        Assert.Equal((ModelArchitecture.Gpt2, 768, 3072, 12, 12, 64, 1024), (c.Architecture, c.HiddenSize, c.IntermediateSize, c.NumLayers, c.NumHeads, c.HeadDim, c.MaxPositionEmbeddings));
        Assert.True(c.TieWordEmbeddings);
        Assert.Equal([50256], c.EosTokenIds);
    }

    [Theory]
    [InlineData("""{"model_type": "bert"}""", "model_type", "\"bert\"", "llama, mistral, qwen2, gpt2")]
    [InlineData("""{"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "rope_scaling": {"rope_type": "yarn", "factor": 4}}""", "rope_scaling.rope_type", "\"yarn\"", "\"llama3\"")]
    [InlineData("""{"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "hidden_act": "relu"}""", "hidden_act", "\"relu\"", "\"silu\"")]
    [InlineData("""{"model_type": "llama", "vocab_size": 10, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2}""", "hidden_size", "missing", "integer")]
    [InlineData("""{"model_type": "llama", "vocab_size": "ten", "hidden_size": 8, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2}""", "vocab_size", "\"ten\"", "integer")]
    [InlineData("""{"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 3}""", "num_key_value_heads", "3", "divide")]
    [InlineData("""{"model_type": "gpt2", "vocab_size": 10, "n_embd": 8, "n_layer": 1, "n_head": 2, "activation_function": "relu"}""", "activation_function", "\"relu\"", "\"gelu_new\"")]
    [InlineData("""{"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "torch_dtype": "int8"}""", "torch_dtype", "\"int8\"", "bfloat16")]
    public void Unsupported_values_name_the_field_the_value_and_what_is_supported(string json, string field, string value, string supported)
    {
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigJson.Read(json, "models/x/config.json"));
        Assert.Contains("models/x/config.json", error.Message);
        Assert.Contains(field, error.Message);
        Assert.Contains(value, error.Message);
        Assert.Contains(supported, error.Message);
    }

    [Fact]
    public void Save_then_read_gives_the_same_config()
    {
        using var folder = new TempFolder();
        foreach (var config in new[] { ModelConfigJson.Read(Llama3Json), TinyModels.Qwen2(), TinyModels.MistralWindowed(), TinyModels.Gpt2() with { EosTokenIds = [3], BosTokenId = 2 } })
        {
            ModelConfigJson.Save(config, folder.Path);
            var text = File.ReadAllText(Path.Combine(folder.Path, "config.json"));
            Assert.Contains("\"architectures\"", text);
            var read = ModelConfigJson.Load(folder.Path);
            Assert.Equal(config with { EosTokenIds = [] }, read with { EosTokenIds = [] });
            Assert.Equal(config.EosTokenIds, read.EosTokenIds);
        }
    }

    [Fact]
    public void Llama3_inverse_frequencies_keep_high_scale_low_and_blend_medium()
    {
        // headDim 8, theta 10000: base frequencies 1, 0.1, 0.01, 0.001 with wavelengths 6.3, 62.8, 628, 6283.
        // original context 64: high-frequency wavelength limit 64/4 = 16, low-frequency limit 64/1 = 64.
        var frequencies = RotaryEmbedding.InverseFrequencies(8, 10000, new RopeScaling.Llama3(8, 1, 4, 64));
        var smooth = (64 / (2 * Math.PI / 0.1) - 1) / (4 - 1);                       // 0.0061973
        Assert.Equal(1.0, frequencies[0], 6);                                        // wavelength 6.3 < 16: kept
        Assert.Equal((1 - smooth) * 0.1 / 8 + smooth * 0.1, frequencies[1], 6);      // 16 ≤ 62.8 ≤ 64: blended (0.0130423)
        Assert.Equal(0.01 / 8, frequencies[2], 7);                                   // 628 > 64: divided by 8
        Assert.Equal(0.001 / 8, frequencies[3], 8);
    }

    [Fact]
    public void Linear_scaling_divides_every_frequency()
    {
        var plain = RotaryEmbedding.InverseFrequencies(8, 10000, null);
        var scaled = RotaryEmbedding.InverseFrequencies(8, 10000, new RopeScaling.Linear(4));
        Assert.Equal([1f, 0.1f, 0.01f, 0.001f], plain.Select(f => MathF.Round(f, 6)));
        Assert.All(Enumerable.Range(0, 4), k => Assert.Equal(plain[k] / 4, scaled[k], 7));
    }

    [Fact]
    public void Presets_build_the_documented_sizes()
    {
        var tiny = ModelPresets.Create("tiny", ModelArchitecture.Llama, 300);
        Assert.Equal((300, 64, 2, 4, 2, 172), (tiny.VocabSize, tiny.HiddenSize, tiny.NumLayers, tiny.NumHeads, tiny.NumKvHeads, tiny.IntermediateSize));
        using var small = Pipeline.Modeling.Checkpoints.ModelFactory.Create(ModelPresets.Create("small", ModelArchitecture.Llama, 32000));
        var parameters = small.parameters().Sum(p => p.numel());
        Assert.InRange(parameters, 20_000_000, 50_000_000);
        var error = Assert.Throws<ModelConfigException>(() => ModelPresets.Create("huge", ModelArchitecture.Gpt2, 10));
        Assert.Contains("tiny, small", error.Message);
    }
}
