using System.Text.Json.Nodes;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Bottleneck;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

public sealed class BottleneckTests
{
    private static IReadOnlyList<string> Apply(CausalLanguageModel model, BottleneckPlacement placement = BottleneckPlacement.Houlsby, int reduction = 4)
    {
        using var generator = new Generator(9);
        return BottleneckAdapter.Apply(model, new BottleneckConfig { ReductionFactor = reduction, Placement = placement }, generator);
    }

    [Theory]
    [InlineData("llama", BottleneckPlacement.Houlsby, new[] { "model.layers.0.self_attn.o_proj", "model.layers.0.mlp.down_proj", "model.layers.1.self_attn.o_proj", "model.layers.1.mlp.down_proj" })]
    [InlineData("llama", BottleneckPlacement.Pfeiffer, new[] { "model.layers.0.mlp.down_proj", "model.layers.1.mlp.down_proj" })]
    [InlineData("gpt2", BottleneckPlacement.Houlsby, new[] { "transformer.h.0.attn.c_proj", "transformer.h.0.mlp.c_proj", "transformer.h.1.attn.c_proj", "transformer.h.1.mlp.c_proj" })]
    public void Adapters_follow_the_attention_and_feed_forward_outputs(string architecture, BottleneckPlacement placement, string[] expected)
    {
        using var model = AdapterTestModels.Create(architecture);
        Assert.Equal(expected, Apply(model, placement));
        var (_, layer) = BottleneckAdapter.Layers(model)[0];
        Assert.Equal([8L, 32L], layer.Down.weight!.shape);                     // hidden 32 / reduction 4
        Assert.Equal([32L, 8L], layer.Up.weight!.shape);
    }

    [Fact]
    public void A_fresh_adapter_is_near_the_identity_and_only_it_gets_gradients()
    {
        using var model = AdapterTestModels.Create("llama");
        var ids = AdapterTestModels.Ids();
        var before = AdapterTestModels.Logits(model, ids);
        Apply(model);

        var after = AdapterTestModels.Logits(model, ids);
        var change = AdapterTestModels.MaxAbsDifference(after, before);
        Assert.True(change > 0 && change < 1e-2f * before.abs().max().item<float>(), $"a fresh adapter moved the logits by {change}");

        model.Forward(ids, labels: ids).Loss!.backward();
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        Assert.Equal(4 * 4, trainable.Count);                                   // 4 adapters × (down, up) × (weight, bias)
        Assert.All(trainable, p => Assert.Matches(@"\.adapter_(down|up)\.(weight|bias)$", p.name));
        Assert.All(trainable, p => Assert.True(p.parameter.grad is { } grad && grad.abs().sum().item<float>() > 0, p.name));
        Assert.All(model.named_parameters().Where(p => !p.parameter.requires_grad), p => Assert.True(p.parameter.grad is null, p.name));

        using (AdapterLayers.Disable(model))
            Assert.True(AdapterTestModels.Logits(model, ids).IsIdenticalTo(before));
    }

    [Fact]
    public void Save_and_load_round_trip_with_pefts_key_convention()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("llama");
        var config = new BottleneckConfig { ReductionFactor = 4, Placement = BottleneckPlacement.Pfeiffer };
        BottleneckAdapter.Apply(model, config);
        AdapterTestModels.Train(model, AdapterTestModels.Ids());
        BottleneckAdapter.Save(model, config, folder.Path, "tiny-base");

        using (var file = SafetensorsFile.Open(Path.Combine(folder.Path, "adapter_model.safetensors")))
            Assert.Equal([
                "base_model.model.model.layers.0.mlp.down_proj.adapter_down.bias", "base_model.model.model.layers.0.mlp.down_proj.adapter_down.weight",
                "base_model.model.model.layers.0.mlp.down_proj.adapter_up.bias", "base_model.model.model.layers.0.mlp.down_proj.adapter_up.weight",
                "base_model.model.model.layers.1.mlp.down_proj.adapter_down.bias", "base_model.model.model.layers.1.mlp.down_proj.adapter_down.weight",
                "base_model.model.model.layers.1.mlp.down_proj.adapter_up.bias", "base_model.model.model.layers.1.mlp.down_proj.adapter_up.weight",
            ], file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "adapter_config.json")))!.AsObject();
        Assert.Equal("BOTTLENECK", (string)json["peft_type"]!);
        Assert.Equal("pfeiffer", (string)json["architecture"]!);
        Assert.Equal(4, (int)json["reduction_factor"]!);
        Assert.False((bool)json["mh_adapter"]!);
        Assert.True((bool)json["output_adapter"]!);

        using var fresh = AdapterTestModels.Create("llama");
        var loaded = PeftAdapters.Load(fresh, folder.Path);
        var ids = AdapterTestModels.Ids();
        Assert.True(AdapterTestModels.Logits(loaded, ids).IsIdenticalTo(AdapterTestModels.Logits(model, ids)));
    }

    [Fact]
    public void A_reduction_factor_that_does_not_divide_the_hidden_size_is_refused_with_the_allowed_values()
    {
        using var model = AdapterTestModels.Create("llama");
        var error = Assert.Throws<AdapterConfigException>(() => Apply(model, reduction: 5));
        Assert.Equal("bottleneck: reduction_factor: 5 does not divide the model's hidden size 32; allowed: 1, 2, 4, 8, 16, 32.", error.Message);
    }

    [Fact]
    public void Merging_an_additive_adapter_is_refused_with_what_merges()
    {
        using var model = AdapterTestModels.Create("gpt2");
        Apply(model);
        var error = Assert.Throws<AdapterConfigException>(() => PeftAdapters.MergeAndUnload(model));
        Assert.Contains("method bottleneck", error.Message);
        Assert.Contains("cannot be merged", error.Message);
        Assert.Contains("Mergeable methods: lora, qlora, ia3, ln_tuning", error.Message);
    }
}
