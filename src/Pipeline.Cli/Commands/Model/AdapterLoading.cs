using Pipeline.Modeling;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.Peft;
using Pipeline.Modeling.Quantization;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands.Model;

/// <summary>
/// Puts a PEFT adapter folder on a loaded base model for inference: any type <see cref="PeftAdapters"/> reads (LoRA, also
/// what QLoRA training saves; prompt tuning, P-tuning, prefix tuning, bottleneck, LayerNorm tuning, (IA)³), told apart by
/// adapter_config.json's peft_type. With an NF4 base, the base linear layers are quantized
/// exactly as QLoRA training saw them before the LoRA weights are loaded.
/// </summary>
public static class AdapterLoading
{
    /// <summary>Returns the model to run: the same object for adapters that wrap layers (changed in place), a wrapper for soft prompts and prefixes.</summary>
    /// <param name="nf4">Quantize the base to NF4 first (QLoRA adapters); null: keep the base in its dtype.</param>
    public static CausalLanguageModel Apply(CausalLanguageModel model, string adapterDirectory, Nf4BaseOptions? nf4 = null)
    {
        if (!Directory.Exists(adapterDirectory)) throw new DirectoryNotFoundException($"Adapter folder '{adapterDirectory}' does not exist.");
        var configPath = PeftFiles.Require(adapterDirectory, PeftFiles.ConfigFileName);
        var peftType = PeftConfigJson.ReadPeftType(File.ReadAllText(configPath), configPath);
        if (!PeftConfigJson.SupportedTypes.Contains(peftType)) throw PeftAdapters.UnknownType(configPath, peftType);
        if (nf4 is null) return PeftAdapters.Load(model, adapterDirectory);
        if (peftType == PeftConfigJson.LoraType)
        {
            QLoraAdapter.Load(model, adapterDirectory, nf4.ComputeDtype, nf4.Options);
            return model;
        }
        Nf4BaseQuantizer.Quantize(model, nf4);
        return PeftAdapters.Load(model, adapterDirectory);
    }
}

/// <summary>How to store a base model's linear layers in NF4 for inference (as QLoRA's base).</summary>
/// <param name="ComputeDtype">Dtype the weights are dequantized to for each matmul (bfloat16 as in QLoRA; float32 for exactness).</param>
public sealed record Nf4BaseOptions(ScalarType ComputeDtype, Nf4Options Options)
{
    public static Nf4BaseOptions Default(ScalarType computeDtype) => new(computeDtype, new Nf4Options());
}

/// <summary>Stores every linear layer of a model except lm_head in NF4 (what transformers' load_in_4bit does) and measures the cost.</summary>
public static class Nf4BaseQuantizer
{
    public static QuantizationReport Quantize(CausalLanguageModel model, Nf4BaseOptions options)
    {
        options.Options.Validate();
        var reports = new List<QuantizationReport>();
        foreach (var (name, linear) in ModuleSurgery.NamedLinears(model).Where(l => l.Name != LoraTargets.OutputHead).ToList())
        {
            var quantized = Nf4Linear.FromLinear(linear, options.ComputeDtype, options.Options);
            reports.Add(QuantizationReport.Measure(linear.weight!, quantized.Weight));
            quantized.train(model.training);
            ModuleSurgery.ReplaceSubmodule(model, name, quantized).Dispose();   // frees the full-precision weight
        }
        return QuantizationReport.Combine(reports);
    }
}
