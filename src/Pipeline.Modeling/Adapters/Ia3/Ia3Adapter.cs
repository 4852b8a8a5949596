using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Modeling.Configuration;
using Pipeline.Safetensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.Ia3;

/// <summary>
/// (IA)³ on a whole model: apply (wrap the targets, freeze everything else), save and load in PEFT's layout
/// (peft_type IA3, keys base_model.model.&lt;module&gt;.ia3_l), and merge into the weights (W ⊙ l), which this
/// method allows because the rescaling is linear.
/// </summary>
public static class Ia3Adapter
{
    /// <summary>Wraps every target linear layer in an <see cref="Ia3Linear"/> (vectors of ones) and freezes the rest. Returns the adapted names.</summary>
    public static IReadOnlyList<string> Apply(CausalLanguageModel model, Ia3Config config)
    {
        var architecture = model.Config.Architecture;
        config.Validate(architecture);
        var targets = AdapterTargets.Resolve(model, config.TargetsFor(architecture), "ia3: target_modules", m => m is Linear, "linear layers");
        var feedforward = config.FeedforwardFor(architecture);
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        foreach (var (name, module) in targets)
        {
            var wrapper = new Ia3Linear((Linear)module, feedforward.Any(f => LoraTargets.Matches(name, f)));
            wrapper.train(model.training);
            ModuleSurgery.ReplaceSubmodule(model, name, wrapper);
        }
        return [.. targets.Select(t => t.Name)];
    }

    /// <summary>The (IA)³ layers of a model, by full dotted name, in module order.</summary>
    public static IReadOnlyList<(string Name, Ia3Linear Layer)> Layers(nn.Module model) =>
        [.. model.named_modules().Where(m => m.module is Ia3Linear).Select(m => (m.name, (Ia3Linear)m.module))];

    /// <summary>adapter_config.json (peft_type IA3) and adapter_model.safetensors with base_model.model.&lt;module&gt;.ia3_l.</summary>
    public static void Save(CausalLanguageModel model, string directory, string? baseModelNameOrPath = null)
    {
        var layers = Layers(model);
        if (layers.Count == 0) throw new InvalidOperationException("The model has no (IA)³ layers to save; apply the adapter first (Ia3Adapter.Apply).");
        Directory.CreateDirectory(directory);
        PeftFiles.WriteTensors(Path.Combine(directory, PeftFiles.WeightsFileName),
            layers.Select(l => new KeyValuePair<string, Tensor>(Key(l.Name), l.Layer.Scaling)));
        File.WriteAllText(Path.Combine(directory, PeftFiles.ConfigFileName), PeftConfigJson.WriteIa3(
            ShortNames(layers.Select(l => l.Name)), ShortNames(layers.Where(l => l.Layer.IsFeedforward).Select(l => l.Name)),
            model.Config.Architecture == ModelArchitecture.Gpt2, baseModelNameOrPath));
    }

    /// <summary>Reads a PEFT (IA)³ folder, wraps its targets in <paramref name="model"/> and loads the vectors; every key and shape is checked.</summary>
    public static void Load(CausalLanguageModel model, string directory)
    {
        var configPath = PeftFiles.Require(directory, PeftFiles.ConfigFileName);
        Apply(model, PeftConfigJson.ReadIa3(File.ReadAllText(configPath), configPath));
        var layers = Layers(model);
        using var file = SafetensorsFile.Open(PeftFiles.Require(directory, PeftFiles.WeightsFileName));
        PeftFiles.CheckKeys(file, layers.ToDictionary(l => Key(l.Name), l => l.Layer.Scaling.shape), "the (IA)³ layers of this model");
        using var _ = no_grad();
        foreach (var (name, layer) in layers)
        {
            using var loaded = PeftFiles.ReadTensor(file, Key(name), layer.Scaling.dtype);
            layer.Scaling.copy_(loaded);
        }
    }

    /// <summary>Replaces every (IA)³ layer by a plain Linear holding W ⊙ l and makes every parameter trainable again: an ordinary model.</summary>
    public static CausalLanguageModel MergeAndUnload(CausalLanguageModel model)
    {
        foreach (var (name, layer) in Layers(model))
            ModuleSurgery.ReplaceSubmodule(model, name, layer.ToMergedLinear()).Dispose();
        foreach (var parameter in model.parameters()) parameter.requires_grad = true;
        return model;
    }

    private static string Key(string module) => PeftFiles.LoraKeyPrefix + module + ".ia3_l";

    // PEFT saves the names as configured; ours resolve to full paths, and the last component names them for every layer
    // (mlp.c_proj keeps its parent, since GPT-2's attention has a c_proj too).
    private static IReadOnlyList<string> ShortNames(IEnumerable<string> names) => [.. names.Select(n =>
    {
        var parts = n.Split('.');
        return parts[^1] == "c_proj" ? $"{parts[^2]}.c_proj" : parts[^1];
    }).Distinct().Order(StringComparer.Ordinal)];
}
