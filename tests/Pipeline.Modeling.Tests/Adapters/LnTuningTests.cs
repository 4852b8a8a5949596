using System.Text.Json.Nodes;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.LnTuning;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Adapters;

public sealed class LnTuningTests
{
    [Theory]
    [InlineData("llama", 5)]
    [InlineData("gpt2", 10)]
    public void Only_the_norm_copies_train_and_a_fresh_copy_changes_nothing(string architecture, int tensors)
    {
        using var model = AdapterTestModels.Create(architecture);
        var ids = AdapterTestModels.Ids();
        var before = AdapterTestModels.Logits(model, ids);
        LnTuningAdapter.Apply(model, new LnTuningConfig());
        Assert.True(AdapterTestModels.Logits(model, ids).IsIdenticalTo(before));

        model.Forward(ids, labels: ids).Loss!.backward();
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        Assert.Equal(tensors, trainable.Count);                                 // llama: 2 norms × 2 layers + final norm; gpt2 also biases
        Assert.All(trainable, p => Assert.Contains(".ln_tuning_layers.", p.name));
        Assert.All(trainable, p => Assert.True(p.parameter.grad is { } grad && grad.abs().sum().item<float>() > 0, p.name));
        Assert.All(model.named_parameters().Where(p => !p.parameter.requires_grad), p => Assert.True(p.parameter.grad is null, p.name));
    }

    [Fact]
    public void Save_load_disable_and_merge()
    {
        using var folder = new TempFolder();
        using var model = AdapterTestModels.Create("llama");
        var ids = AdapterTestModels.Ids();
        var original = AdapterTestModels.Logits(model, ids);
        LnTuningAdapter.Apply(model, new LnTuningConfig());
        AdapterTestModels.Train(model, ids);
        var tuned = AdapterTestModels.Logits(model, ids);
        Assert.False(tuned.allclose(original));
        using (AdapterLayers.Disable(model))
            Assert.True(AdapterTestModels.Logits(model, ids).IsIdenticalTo(original));
        LnTuningAdapter.Save(model, folder.Path, "tiny-base");

        using (var file = SafetensorsFile.Open(Path.Combine(folder.Path, "adapter_model.safetensors")))
            Assert.Equal(["base_model.model.model.layers.0.input_layernorm.ln_tuning_layers.weight", "base_model.model.model.layers.0.post_attention_layernorm.ln_tuning_layers.weight",
                "base_model.model.model.layers.1.input_layernorm.ln_tuning_layers.weight", "base_model.model.model.layers.1.post_attention_layernorm.ln_tuning_layers.weight",
                "base_model.model.model.norm.ln_tuning_layers.weight"], file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "adapter_config.json")))!.AsObject();
        Assert.Equal("LN_TUNING", (string)json["peft_type"]!);
        Assert.Equal(["input_layernorm", "norm", "post_attention_layernorm"], json["target_modules"]!.AsArray().Select(n => (string)n!));

        using var fresh = AdapterTestModels.Create("llama");
        var loaded = PeftAdapters.Load(fresh, folder.Path);
        Assert.True(AdapterTestModels.Logits(loaded, ids).IsIdenticalTo(tuned));
        var merged = PeftAdapters.MergeAndUnload(loaded);
        Assert.Empty(LnTuningAdapter.Layers(merged));
        Assert.True(AdapterTestModels.Logits(merged, ids).IsIdenticalTo(tuned));
        using var plain = AdapterTestModels.Create("llama");
        Assert.Equal(plain.named_parameters().Select(p => p.name), merged.named_parameters().Select(p => p.name));   // a plain model again
    }
}
