using Pipeline.Modeling.Quantization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.Lora;

/// <summary>Which modules a LoRA config adapts, matched the way PEFT matches target_modules.</summary>
public static class LoraTargets
{
    /// <summary>Name of the output head, which "all-linear" leaves out (PEFT never adapts the output embedding layer).</summary>
    public const string OutputHead = "lm_head";

    /// <summary>
    /// The linear layers (Linear or Nf4Linear) the config targets, by full dotted name, in module order. A target
    /// that matches nothing, or that names a module which is not a linear layer, is an error listing what exists.
    /// </summary>
    public static IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> Resolve(CausalLanguageModel model, LoraConfig config)
    {
        var modules = model.named_modules().Where(m => m.name.Length > 0).ToList();
        if (modules.Any(m => m.module is LoraLinear))
            throw new InvalidOperationException("The model already has LoRA layers; merge and unload them (LoraAdapter.MergeAndUnload) before applying another adapter.");
        var linears = modules.Where(m => IsLinear(m.module)).Select(m => (m.name, (nn.Module<Tensor, Tensor>)m.module)).ToList();
        if (config.TargetsAllLinear)
            return [.. linears.Where(l => l.name != OutputHead)];

        var targets = config.TargetsFor(model.Config.Architecture);
        var unmatched = targets.Where(t => !modules.Any(m => Matches(m.name, t))).ToList();
        if (unmatched.Count > 0)
            throw new AdapterConfigException($"lora: target_modules: {string.Join(", ", unmatched.Select(t => $"\"{t}\""))} " +
                $"matches no module of this {model.Config.ModelType} model; its linear layers are named: {string.Join(", ", LinearNames(linears))} " +
                $"(or use \"{LoraConfig.AllLinear}\").");
        var matched = modules.Where(m => targets.Any(t => Matches(m.name, t))).ToList();
        var notLinear = matched.Where(m => !IsLinear(m.module)).ToList();
        if (notLinear.Count > 0)
            throw new AdapterConfigException("lora: target_modules: LoRA adapts linear layers only; " +
                string.Join("; ", notLinear.Select(m => $"'{m.name}' is a {m.module.GetType().Name}")) + ".");
        return [.. matched.Select(m => (m.name, (nn.Module<Tensor, Tensor>)m.module))];
    }

    /// <summary>PEFT's rule for a plain name: the whole key, or its last dotted components.</summary>
    public static bool Matches(string moduleName, string target) =>
        moduleName == target || moduleName.EndsWith("." + target, StringComparison.Ordinal);

    /// <summary>The distinct last components of the names (PEFT saves "all-linear" expanded to these), sorted.</summary>
    public static IReadOnlyList<string> LinearNames(IEnumerable<(string Name, nn.Module<Tensor, Tensor> Module)> layers) =>
        [.. layers.Select(l => l.Name[(l.Name.LastIndexOf('.') + 1)..]).Distinct().Order(StringComparer.Ordinal)];

    private static bool IsLinear(nn.Module module) => module is Linear or Nf4Linear;
}
