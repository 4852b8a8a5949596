using Pipeline.Configuration;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Configuration;
using static TorchSharp.torch;

namespace Pipeline.Training.FineTuning;

/// <summary>
/// Maps the run YAML's training block (method, lora, freeze, prompt_tuning) onto Pipeline.Modeling's
/// <see cref="TrainableParameterPolicy"/>, which applies the method to a model. The loop then trains whatever
/// has requires_grad.
/// </summary>
public static class FineTuningPolicies
{
    private static readonly IReadOnlyList<string> ConfigDefaultTargets = new LoraSettings().TargetModules;

    /// <param name="computeDtype">The training dtype; QLoRA dequantizes its NF4 base into it.</param>
    /// <param name="seed">Seeds new adapter weights (LoRA's A, the prompt's initial tokens).</param>
    public static TrainableParameterPolicy For(TrainingSettings settings, ModelArchitecture architecture, ScalarType computeDtype, long seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new TrainableParameterPolicy
        {
            Method = settings.Method,
            Lora = new LoraConfig
            {
                R = settings.Lora.R,
                Alpha = settings.Lora.Alpha,
                Dropout = settings.Lora.Dropout,
                TargetModules = Targets(settings.Lora.TargetModules, architecture),
                UseRsLora = settings.Lora.UseRsLora,
            },
            QLoraComputeDtype = computeDtype,
            Freeze = new FreezeOptions { Layers = settings.Freeze.Layers, Embeddings = settings.Freeze.Embeddings },
            PromptTuning = new PromptTuningConfig { NumVirtualTokens = settings.PromptTuning.VirtualTokens },
            Seed = seed,
        };
    }

    /// <summary>
    /// target_modules as configured. The config's default names the Llama projections (q_proj, v_proj); GPT-2 has
    /// none of those, so there the default stands for PEFT's own GPT-2 default (c_attn).
    /// </summary>
    private static IReadOnlyList<string>? Targets(IReadOnlyList<string> configured, ModelArchitecture architecture) =>
        architecture == ModelArchitecture.Gpt2 && configured.SequenceEqual(ConfigDefaultTargets) ? null : configured;
}
