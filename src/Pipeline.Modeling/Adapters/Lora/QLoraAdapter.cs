using Pipeline.Modeling.Quantization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.Lora;

/// <summary>
/// QLoRA (Dettmers et al. 2023): the frozen base linear layers stored in NF4 and dequantized on the fly in the
/// compute dtype, LoRA adapters (in the model's dtype) trained on top. Saved adapters are ordinary PEFT LoRA
/// adapters (<see cref="LoraAdapter.Save"/>).
/// </summary>
public static class QLoraAdapter
{
    /// <summary>
    /// Quantizes the base linear layers (every one except lm_head, or only the targets when
    /// <see cref="Nf4Options.QuantizeNonTargetLinears"/> is false), wraps the targets in LoRA and freezes the rest.
    /// The original weights are released. Returns the measured quantization error and memory.
    /// </summary>
    /// <param name="computeDtype">Dtype of the dequantized weights and the base matmul: bfloat16 (QLoRA's) or float32.</param>
    public static QuantizationReport Apply(CausalLanguageModel model, LoraConfig loraConfig, ScalarType computeDtype,
        Nf4Options? nf4 = null, Generator? generator = null)
    {
        loraConfig.Validate();
        nf4 ??= new Nf4Options();
        nf4.Validate();
        var targets = LoraTargets.Resolve(model, loraConfig);
        if (targets.FirstOrDefault(t => t.Module is not Linear) is { Module: not null } quantized)
            throw new InvalidOperationException($"'{quantized.Name}' is already quantized ({quantized.Module.GetType().Name}); apply QLoRA to a full-precision model.");
        var targetNames = targets.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var toQuantize = ModuleSurgery.NamedLinears(model)
            .Where(l => targetNames.Contains(l.Name) || (nf4.QuantizeNonTargetLinears && l.Name != LoraTargets.OutputHead)).ToList();

        var reports = new List<QuantizationReport>();
        var replaced = new Dictionary<string, nn.Module<Tensor, Tensor>>(StringComparer.Ordinal);
        foreach (var (name, linear) in toQuantize)
        {
            var quantizedLayer = Nf4Linear.FromLinear(linear, computeDtype, nf4);
            reports.Add(QuantizationReport.Measure(linear.weight!, quantizedLayer.Weight));
            ModuleSurgery.ReplaceSubmodule(model, name, quantizedLayer).Dispose();   // frees the full-precision weight
            replaced[name] = quantizedLayer;
        }
        LoraAdapter.Wrap(model, loraConfig, [.. targets.Select(t => (t.Name, replaced.GetValueOrDefault(t.Name) ?? t.Module))], generator);
        return QuantizationReport.Combine(reports);
    }

    /// <summary>Quantizes the base as <see cref="Apply"/> does and loads a PEFT LoRA adapter folder on top.</summary>
    public static QuantizationReport Load(CausalLanguageModel model, string directory, ScalarType computeDtype, Nf4Options? nf4 = null)
    {
        var report = Apply(model, LoraAdapter.ReadConfig(directory), computeDtype, nf4);
        LoraAdapter.LoadWeights(model, directory);
        return report;
    }
}
