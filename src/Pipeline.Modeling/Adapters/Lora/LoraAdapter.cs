using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Modeling.Configuration;
using Pipeline.Modeling.Quantization;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.Lora;

/// <summary>
/// LoRA on a whole model: apply (wrap the targets, freeze the rest), save and load in PEFT's layout,
/// merge and unmerge, and merge-and-unload into a plain model that saves as a normal checkpoint.
/// </summary>
public static class LoraAdapter
{
    /// <summary>
    /// Wraps every target linear layer of <paramref name="model"/> in a <see cref="LoraLinear"/> and freezes
    /// everything except the adapters (and the biases the config's bias mode names). Returns the adapted names.
    /// </summary>
    /// <param name="generator">A CPU generator for the A matrices (null: torch's global generator).</param>
    public static IReadOnlyList<string> Apply(CausalLanguageModel model, LoraConfig config, Generator? generator = null) =>
        Wrap(model, config, LoraTargets.Resolve(model, Validated(config)), generator);

    /// <summary>The LoRA layers of a model, by full dotted name, in module order.</summary>
    public static IReadOnlyList<(string Name, LoraLinear Layer)> Layers(nn.Module model) =>
        [.. model.named_modules().Where(m => m.module is LoraLinear).Select(m => (m.name, (LoraLinear)m.module))];

    /// <summary>The config the model's adapters were built with; an error when it has none.</summary>
    public static LoraConfig ConfigOf(CausalLanguageModel model) =>
        Layers(model) is [var first, ..] ? first.Layer.Config
            : throw new InvalidOperationException("The model has no LoRA layers; apply an adapter first (LoraAdapter.Apply).");

    /// <summary>
    /// The adapter's tensors under the model's own names (…q_proj.lora_A.weight), plus biases as the bias mode says:
    /// PEFT's get_peft_model_state_dict without the "base_model.model." prefix.
    /// </summary>
    public static IReadOnlyDictionary<string, Tensor> AdapterStateDict(CausalLanguageModel model)
    {
        var config = ConfigOf(model);
        var adapted = Layers(model).Select(l => l.Name + ".base_layer.bias").ToHashSet(StringComparer.Ordinal);
        return model.state_dict()
            .Where(kv => kv.Key.Contains(".lora_", StringComparison.Ordinal) || config.Bias switch
            {
                LoraConfig.BiasAll => kv.Key.EndsWith(".bias", StringComparison.Ordinal),
                LoraConfig.BiasLoraOnly => adapted.Contains(kv.Key),
                _ => false,
            })
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Writes adapter_config.json and adapter_model.safetensors (keys base_model.model.&lt;module&gt;.lora_A.weight,
    /// A (r, in), B (out, r)), loadable by PEFT's PeftModel.from_pretrained.
    /// </summary>
    /// <param name="baseModelNameOrPath">Recorded as base_model_name_or_path (the hub id or folder of the base).</param>
    public static void Save(CausalLanguageModel model, string directory, string? baseModelNameOrPath = null)
    {
        var config = ConfigOf(model);
        Directory.CreateDirectory(directory);
        PeftFiles.WriteTensors(Path.Combine(directory, PeftFiles.WeightsFileName),
            AdapterStateDict(model).Select(kv => KeyValuePair.Create(PeftFiles.LoraKeyPrefix + kv.Key, kv.Value)));
        var targets = config.TargetsAllLinear
            ? LoraTargets.LinearNames(Layers(model).Select(l => (l.Name, (nn.Module<Tensor, Tensor>)l.Layer)))
            : config.TargetsFor(model.Config.Architecture);
        var fanInFanOut = model.Config.Architecture == ModelArchitecture.Gpt2;   // PEFT sets it for Conv1D layers
        File.WriteAllText(Path.Combine(directory, PeftFiles.ConfigFileName),
            PeftConfigJson.WriteLora(config, targets, fanInFanOut, baseModelNameOrPath));
    }

    /// <summary>
    /// Reads a PEFT LoRA folder, applies its config to <paramref name="model"/> (which must have no adapter yet)
    /// and loads the weights; a missing, unexpected or mis-shaped key is an error listing them all.
    /// </summary>
    public static LoraConfig Load(CausalLanguageModel model, string directory)
    {
        var config = ReadConfig(directory);
        Apply(model, config);
        LoadWeights(model, directory);
        return config;
    }

    /// <summary>The LoRA config of an adapter folder's adapter_config.json.</summary>
    public static LoraConfig ReadConfig(string directory)
    {
        var path = PeftFiles.Require(directory, PeftFiles.ConfigFileName);
        var json = File.ReadAllText(path);
        if (PeftConfigJson.ReadPeftType(json, path) == PeftConfigJson.PromptTuningType)
            throw new AdapterConfigException($"{path}: peft_type: \"PROMPT_TUNING\" is a prompt-tuning adapter; load it with PromptTuningAdapter.Load.");
        return PeftConfigJson.ReadLora(json, path);
    }

    /// <summary>Copies adapter_model.safetensors into a model whose LoRA layers are already in place.</summary>
    public static void LoadWeights(CausalLanguageModel model, string directory)
    {
        var targets = AdapterStateDict(model);
        using var file = SafetensorsFile.Open(PeftFiles.Require(directory, PeftFiles.WeightsFileName));
        PeftFiles.CheckKeys(file, targets.ToDictionary(kv => PeftFiles.LoraKeyPrefix + kv.Key, kv => kv.Value.shape),
            $"the LoRA layers of this {model.Config.ModelType} model");
        using var _ = no_grad();
        foreach (var (name, target) in targets)
        {
            using var scope = NewDisposeScope();
            target.copy_(PeftFiles.ReadTensor(file, PeftFiles.LoraKeyPrefix + name, target.dtype));
        }
    }

    /// <summary>Adds every adapter into its base weight (W += scale · B A); forward then skips the adapter path.</summary>
    public static void Merge(CausalLanguageModel model)
    {
        foreach (var (_, layer) in Layers(model)) layer.Merge();
    }

    /// <summary>Subtracts every merged adapter from its base weight again.</summary>
    public static void Unmerge(CausalLanguageModel model)
    {
        foreach (var (_, layer) in Layers(model)) layer.Unmerge();
    }

    /// <summary>
    /// Replaces every LoRA layer by a plain Linear holding W + scale · B A (an NF4 base is dequantized first) and
    /// every remaining NF4 layer by its dequantized Linear, then makes all parameters trainable again: the result
    /// is an ordinary model whose <see cref="Checkpoints.CausalLmLoader.Save"/> writes a normal checkpoint.
    /// Returns the same model object, changed in place.
    /// </summary>
    public static CausalLanguageModel MergeAndUnload(CausalLanguageModel model)
    {
        foreach (var (name, layer) in Layers(model))
            ModuleSurgery.ReplaceSubmodule(model, name, layer.ToMergedLinear()).Dispose();
        // The embeddings carry the model's current dtype (it may have been converted after quantizing).
        var dtype = model.parameters().First().dtype;
        foreach (var (name, nf4) in model.named_modules().Where(m => m.module is Nf4Linear).Select(m => (m.name, (Nf4Linear)m.module)).ToList())
            ModuleSurgery.ReplaceSubmodule(model, name, nf4.Dequantized(dtype: dtype)).Dispose();
        foreach (var parameter in model.parameters()) parameter.requires_grad = true;
        return model;
    }

    /// <summary>Wraps the given layers (already resolved) and sets which parameters train.</summary>
    internal static IReadOnlyList<string> Wrap(CausalLanguageModel model, LoraConfig config,
        IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> targets, Generator? generator)
    {
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        foreach (var (name, module) in targets)
        {
            var wrapper = new LoraLinear(module, config, generator);
            wrapper.train(model.training);
            ModuleSurgery.ReplaceSubmodule(model, name, wrapper);
        }
        foreach (var (name, parameter) in model.named_parameters())
            if (name.Contains(".lora_", StringComparison.Ordinal) || IsTrainableBias(name, config.Bias))
                parameter.requires_grad = true;
        return [.. targets.Select(t => t.Name)];
    }

    private static bool IsTrainableBias(string name, string mode) => mode switch
    {
        LoraConfig.BiasAll => name.EndsWith(".bias", StringComparison.Ordinal),
        LoraConfig.BiasLoraOnly => name.EndsWith(".base_layer.bias", StringComparison.Ordinal),
        _ => false,
    };

    private static LoraConfig Validated(LoraConfig config)
    {
        config.Validate();
        return config;
    }
}
