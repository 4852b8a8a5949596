using Pipeline.Contracts;
using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Modeling.Configuration;
using Pipeline.Safetensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.Bottleneck;

/// <summary>
/// Bottleneck adapters on a whole model (Houlsby: after attention and after the feed-forward; Pfeiffer: after the
/// feed-forward only). PEFT has no such type, so the folder uses PEFT's file names and key convention with our own
/// peft_type BOTTLENECK and AdapterHub's field and module names (see the Adapters README). An additive adapter: it
/// adds a non-linear function, so it cannot be merged into the base weights.
/// </summary>
public static class BottleneckAdapter
{
    /// <summary>Wraps each layer's attention output projection (Houlsby) and feed-forward output projection, and freezes the rest.</summary>
    public static IReadOnlyList<string> Apply(CausalLanguageModel model, BottleneckConfig config, Generator? generator = null)
    {
        config.Validate(model.Config.HiddenSize);
        var targets = AdapterTargets.Resolve(model, Targets(model.Config.Architecture, config), "bottleneck", m => m is Linear, "linear layers");
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        foreach (var (name, module) in targets)
        {
            var wrapper = new BottleneckLinear((Linear)module, config.ReductionFactor, config.NonLinearity, generator);
            wrapper.train(model.training);
            ModuleSurgery.ReplaceSubmodule(model, name, wrapper);
        }
        foreach (var (name, parameter) in model.named_parameters())
            parameter.requires_grad = name.Contains(".adapter_down.", StringComparison.Ordinal) || name.Contains(".adapter_up.", StringComparison.Ordinal);
        return [.. targets.Select(t => t.Name)];
    }

    /// <summary>The projections an adapter follows: the attention output (mh_adapter, Houlsby only) and the feed-forward output (output_adapter).</summary>
    public static IReadOnlyList<string> Targets(ModelArchitecture architecture, BottleneckConfig config)
    {
        var (attention, feedForward) = architecture == ModelArchitecture.Gpt2 ? ("attn.c_proj", "mlp.c_proj") : ("o_proj", "down_proj");
        return config.AfterAttention ? [attention, feedForward] : [feedForward];
    }

    public static IReadOnlyList<(string Name, BottleneckLinear Layer)> Layers(nn.Module model) =>
        [.. model.named_modules().Where(m => m.module is BottleneckLinear).Select(m => (m.name, (BottleneckLinear)m.module))];

    /// <summary>The adapter tensors under the model's own names (…o_proj.adapter_down.weight).</summary>
    public static IReadOnlyDictionary<string, Tensor> AdapterStateDict(CausalLanguageModel model) =>
        model.state_dict().Where(kv => kv.Key.Contains(".adapter_down.", StringComparison.Ordinal) || kv.Key.Contains(".adapter_up.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public static void Save(CausalLanguageModel model, BottleneckConfig config, string directory, string? baseModelNameOrPath = null)
    {
        if (Layers(model).Count == 0) throw new InvalidOperationException("The model has no bottleneck adapters to save; apply them first (BottleneckAdapter.Apply).");
        Directory.CreateDirectory(directory);
        PeftFiles.WriteTensors(Path.Combine(directory, PeftFiles.WeightsFileName),
            AdapterStateDict(model).Select(kv => new KeyValuePair<string, Tensor>(PeftFiles.LoraKeyPrefix + kv.Key, kv.Value)));
        File.WriteAllText(Path.Combine(directory, PeftFiles.ConfigFileName), PeftConfigJson.WriteBottleneck(config,
            Targets(model.Config.Architecture, config), baseModelNameOrPath));
    }

    public static BottleneckConfig Load(CausalLanguageModel model, string directory)
    {
        var configPath = PeftFiles.Require(directory, PeftFiles.ConfigFileName);
        var config = PeftConfigJson.ReadBottleneck(File.ReadAllText(configPath), configPath);
        Apply(model, config);
        var expected = AdapterStateDict(model);
        using var file = SafetensorsFile.Open(PeftFiles.Require(directory, PeftFiles.WeightsFileName));
        PeftFiles.CheckKeys(file, expected.ToDictionary(kv => PeftFiles.LoraKeyPrefix + kv.Key, kv => kv.Value.shape), "the bottleneck adapters of this model");
        using var _ = no_grad();
        foreach (var (name, tensor) in expected)
        {
            using var loaded = PeftFiles.ReadTensor(file, PeftFiles.LoraKeyPrefix + name, tensor.dtype);
            tensor.copy_(loaded);
        }
        return config;
    }
}
