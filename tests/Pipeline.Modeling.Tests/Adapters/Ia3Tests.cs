using System.Text.Json.Nodes;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Ia3;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

public sealed class Ia3Tests
{
    [Fact]
    public void Vectors_start_at_one_rescale_keys_values_and_the_feed_forward_input_and_only_they_get_gradients()
    {
        using var model = AdapterTestModels.Create("llama");
        var ids = AdapterTestModels.Ids();
        var before = AdapterTestModels.Logits(model, ids);
        Assert.Equal(["model.layers.0.self_attn.k_proj", "model.layers.0.self_attn.v_proj", "model.layers.0.mlp.down_proj",
            "model.layers.1.self_attn.k_proj", "model.layers.1.self_attn.v_proj", "model.layers.1.mlp.down_proj"], Ia3Adapter.Apply(model, new Ia3Config()));

        var layers = Ia3Adapter.Layers(model);
        Assert.Equal([16L, 1L], layers[0].Layer.Scaling.shape);                 // k_proj: (out, 1), kv heads 2 × 8
        Assert.Equal([1L, 48L], layers[2].Layer.Scaling.shape);                 // down_proj: (1, in), the intermediate activations
        Assert.True(layers[2].Layer.IsFeedforward);
        Assert.All(layers, l => Assert.True(l.Layer.Scaling.eq(1).all().item<bool>()));
        Assert.True(AdapterTestModels.Logits(model, ids).IsIdenticalTo(before));

        model.Forward(ids, labels: ids).Loss!.backward();
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        Assert.Equal(layers.Select(l => l.Name + ".ia3_l"), trainable.Select(p => p.name));
        Assert.All(trainable, p => Assert.True(p.parameter.grad is { } grad && grad.abs().sum().item<float>() > 0, p.name));
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void Merging_computes_what_the_adapter_computes(string architecture)
    {
        using var model = AdapterTestModels.Create(architecture);
        Ia3Adapter.Apply(model, new Ia3Config());
        AdapterTestModels.Train(model, AdapterTestModels.Ids());
        var ids = AdapterTestModels.Ids();
        var adapted = AdapterTestModels.Logits(model, ids);

        var merged = PeftAdapters.MergeAndUnload(model);
        Assert.Empty(Ia3Adapter.Layers(merged));
        Assert.True(AdapterTestModels.Logits(merged, ids).allclose(adapted, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Save_and_load_use_pefts_names()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("gpt2");
        Ia3Adapter.Apply(model, new Ia3Config());
        AdapterTestModels.Train(model, AdapterTestModels.Ids());
        Ia3Adapter.Save(model, folder.Path, "tiny-base");

        using (var file = SafetensorsFile.Open(Path.Combine(folder.Path, "adapter_model.safetensors")))
        {
            Assert.Equal(["base_model.model.transformer.h.0.attn.c_attn.ia3_l", "base_model.model.transformer.h.0.mlp.c_proj.ia3_l",
                "base_model.model.transformer.h.1.attn.c_attn.ia3_l", "base_model.model.transformer.h.1.mlp.c_proj.ia3_l"], file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
            Assert.Equal([96L, 1L], file.GetInfo("base_model.model.transformer.h.0.attn.c_attn.ia3_l").Shape);
            Assert.Equal([1L, 128L], file.GetInfo("base_model.model.transformer.h.0.mlp.c_proj.ia3_l").Shape);
        }
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "adapter_config.json")))!.AsObject();
        Assert.Equal("IA3", (string)json["peft_type"]!);
        Assert.Equal(["c_attn", "mlp.c_proj"], json["target_modules"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["mlp.c_proj"], json["feedforward_modules"]!.AsArray().Select(n => (string)n!));
        Assert.True((bool)json["fan_in_fan_out"]!);
        Assert.True((bool)json["init_ia3_weights"]!);
        Assert.Equal(json.Select(kv => kv.Key).Order(StringComparer.Ordinal), json.Select(kv => kv.Key));

        using var fresh = AdapterTestModels.Create("gpt2");
        var loaded = PeftAdapters.Load(fresh, folder.Path);
        var ids = AdapterTestModels.Ids();
        Assert.True(AdapterTestModels.Logits(loaded, ids).IsIdenticalTo(AdapterTestModels.Logits(model, ids)));
    }

    [Fact]
    public void Feedforward_modules_outside_the_targets_are_refused()
    {
        using var model = AdapterTestModels.Create("llama");
        var error = Assert.Throws<AdapterConfigException>(() => Ia3Adapter.Apply(model, new Ia3Config { TargetModules = ["k_proj"], FeedforwardModules = ["down_proj"] }));
        Assert.Contains("ia3: feedforward_modules: \"down_proj\" must also be in target_modules", error.Message);
    }
}
