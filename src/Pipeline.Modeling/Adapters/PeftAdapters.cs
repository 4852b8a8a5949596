using Pipeline.Contracts;
using Pipeline.Modeling.Adapters.Bottleneck;
using Pipeline.Modeling.Adapters.Ia3;
using Pipeline.Modeling.Adapters.LnTuning;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.PTuning;
using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Modeling.Adapters.PrefixTuning;
using Pipeline.Modeling.Adapters.PromptTuning;
using TorchSharp;

namespace Pipeline.Modeling.Adapters;

/// <summary>
/// Any adapter folder this project reads, told apart by adapter_config.json's peft_type, and merging whatever adapter a
/// model carries. Merging is possible where the adapter is a linear change of existing weights (LoRA, QLoRA, (IA)³) or
/// replaces them (LayerNorm tuning); the additive kinds (prompt tuning, P-tuning, prefix tuning, bottleneck adapters)
/// add tokens, key/value positions or non-linear modules that no base weight can absorb.
/// </summary>
public static class PeftAdapters
{
    /// <summary>The methods whose adapters merge, in config spelling, for error messages.</summary>
    public const string MergeableMethods = "lora, qlora, ia3, ln_tuning";

    public static bool CanMerge(FineTuningMethod method) =>
        method is FineTuningMethod.Lora or FineTuningMethod.Qlora or FineTuningMethod.Ia3 or FineTuningMethod.LnTuning;

    /// <summary>
    /// Reads an adapter folder and puts it on <paramref name="model"/>; returns the model to run (the same object for
    /// LoRA, (IA)³, LayerNorm tuning and bottleneck adapters, a wrapper for the soft prompts and prefix tuning).
    /// An unknown peft_type is an error naming the file and the supported types.
    /// </summary>
    public static CausalLanguageModel Load(CausalLanguageModel model, string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Adapter folder '{directory}' does not exist.");
        var configPath = PeftFiles.Require(directory, PeftFiles.ConfigFileName);
        var peftType = PeftConfigJson.ReadPeftType(File.ReadAllText(configPath), configPath);
        switch (peftType)
        {
            case PeftConfigJson.LoraType:
                LoraAdapter.Load(model, directory);
                return model;
            case PeftConfigJson.Ia3Type:
                Ia3Adapter.Load(model, directory);
                return model;
            case PeftConfigJson.LnTuningType:
                LnTuningAdapter.Load(model, directory);
                return model;
            case PeftConfigJson.BottleneckType:
                BottleneckAdapter.Load(model, directory);
                return model;
            case PeftConfigJson.PromptTuningType:
                return PromptTuningAdapter.Load(model, directory);
            case PeftConfigJson.PTuningType:
                return PTuningAdapter.Load(model, directory);
            case PeftConfigJson.PrefixTuningType:
                return PrefixTuningAdapter.Load(model, directory);
            default:
                throw UnknownType(configPath, peftType);
        }
    }

    public static AdapterConfigException UnknownType(string configPath, string peftType) =>
        new($"{configPath}: peft_type: \"{peftType}\" is not supported; allowed: {string.Join(", ", PeftConfigJson.SupportedTypes.Select(t => $"\"{t}\""))}.");

    /// <summary>
    /// Merges the adapter of <paramref name="model"/> into its weights and returns the plain model (the same object):
    /// LoRA/QLoRA (W + scale·BA), (IA)³ (W ⊙ l), LayerNorm tuning (the tuned norms in place). An additive adapter is an
    /// error that says why and what merges.
    /// </summary>
    public static CausalLanguageModel MergeAndUnload(CausalLanguageModel model)
    {
        var additive = model switch
        {
            PrefixTuningModel => "prefix_tuning (key/value prefixes are extra attention positions)",
            PromptTuningModel { Prompt: PTuningPromptEncoder } => "p_tuning (virtual tokens are extra input positions)",
            PromptTuningModel => "prompt_tuning (virtual tokens are extra input positions)",
            _ when BottleneckAdapter.Layers(model).Count > 0 => "bottleneck (its down/up projections and non-linearity are new modules)",
            _ => null,
        };
        if (additive is not null)
            throw new AdapterConfigException($"merge: method {additive} is an additive adapter and cannot be merged into the base weights; " +
                $"keep it as an adapter folder and load it on the base. Mergeable methods: {MergeableMethods}.");
        if (LoraAdapter.Layers(model).Count > 0) return LoraAdapter.MergeAndUnload(model);
        if (Ia3Adapter.Layers(model).Count > 0) return Ia3Adapter.MergeAndUnload(model);
        if (LnTuningAdapter.Layers(model).Count > 0) return LnTuningAdapter.MergeAndUnload(model);
        throw new InvalidOperationException("The model has no adapter to merge.");
    }

    /// <summary>The adapter layers' names (for a merge report), in module order.</summary>
    public static IReadOnlyList<string> LayerNames(torch.nn.Module model) =>
        [.. model.named_modules().Where(m => m.module is IAdapterLayer).Select(m => m.name)];
}
