using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.LnTuning;

/// <summary>
/// LayerNorm tuning on a whole model: the target norms train (as trainable copies beside the frozen originals, as PEFT
/// does), everything else is frozen. Saved in PEFT's layout (peft_type LN_TUNING, keys
/// base_model.model.&lt;norm&gt;.ln_tuning_layers.weight); merging puts the tuned copies in place of the originals.
/// </summary>
public static class LnTuningAdapter
{
    public static IReadOnlyList<string> Apply(CausalLanguageModel model, LnTuningConfig config)
    {
        var targets = AdapterTargets.Resolve(model, config.TargetsFor(model.Config.Architecture), "ln_tuning: target_modules",
            LnTuningLayer.CanWrap, "normalization layers");
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        foreach (var (name, module) in targets)
        {
            var wrapper = new LnTuningLayer((nn.Module<Tensor, Tensor>)module);
            wrapper.train(model.training);
            ModuleSurgery.ReplaceSubmodule(model, name, wrapper);
        }
        foreach (var (name, parameter) in model.named_parameters())
            parameter.requires_grad = name.Contains(".ln_tuning_layers.", StringComparison.Ordinal);
        return [.. targets.Select(t => t.Name)];
    }

    /// <summary>The tuned norms, by full dotted name, in module order.</summary>
    public static IReadOnlyList<(string Name, LnTuningLayer Layer)> Layers(nn.Module model) =>
        [.. model.named_modules().Where(m => m.module is LnTuningLayer).Select(m => (m.name, (LnTuningLayer)m.module))];

    /// <summary>The tuned tensors under the model's own names (…input_layernorm.ln_tuning_layers.weight).</summary>
    public static IReadOnlyDictionary<string, Tensor> AdapterStateDict(CausalLanguageModel model) =>
        model.state_dict().Where(kv => kv.Key.Contains(".ln_tuning_layers.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public static void Save(CausalLanguageModel model, string directory, string? baseModelNameOrPath = null)
    {
        var layers = Layers(model);
        if (layers.Count == 0) throw new InvalidOperationException("The model has no tuned norms to save; apply LayerNorm tuning first (LnTuningAdapter.Apply).");
        Directory.CreateDirectory(directory);
        PeftFiles.WriteTensors(Path.Combine(directory, PeftFiles.WeightsFileName),
            AdapterStateDict(model).Select(kv => new KeyValuePair<string, Tensor>(PeftFiles.LoraKeyPrefix + kv.Key, kv.Value)));
        File.WriteAllText(Path.Combine(directory, PeftFiles.ConfigFileName), PeftConfigJson.WriteLnTuning(
            [.. layers.Select(l => l.Name[(l.Name.LastIndexOf('.') + 1)..]).Distinct().Order(StringComparer.Ordinal)], baseModelNameOrPath));
    }

    public static void Load(CausalLanguageModel model, string directory)
    {
        var configPath = PeftFiles.Require(directory, PeftFiles.ConfigFileName);
        Apply(model, PeftConfigJson.ReadLnTuning(File.ReadAllText(configPath), configPath));
        var expected = AdapterStateDict(model);
        using var file = SafetensorsFile.Open(PeftFiles.Require(directory, PeftFiles.WeightsFileName));
        PeftFiles.CheckKeys(file, expected.ToDictionary(kv => PeftFiles.LoraKeyPrefix + kv.Key, kv => kv.Value.shape), "the tuned norms of this model");
        using var _ = no_grad();
        foreach (var (name, tensor) in expected)
        {
            using var loaded = PeftFiles.ReadTensor(file, PeftFiles.LoraKeyPrefix + name, tensor.dtype);
            tensor.copy_(loaded);
        }
    }

    /// <summary>Puts each tuned copy in place of its original and makes every parameter trainable again: an ordinary model.</summary>
    public static CausalLanguageModel MergeAndUnload(CausalLanguageModel model)
    {
        foreach (var (name, layer) in Layers(model))
            ModuleSurgery.ReplaceSubmodule(model, name, layer.Tuned);
        foreach (var parameter in model.parameters()) parameter.requires_grad = true;
        return model;
    }
}
