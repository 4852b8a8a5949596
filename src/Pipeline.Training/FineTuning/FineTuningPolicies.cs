using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Bottleneck;
using Pipeline.Modeling.Adapters.Ia3;
using Pipeline.Modeling.Adapters.LnTuning;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.PTuning;
using Pipeline.Modeling.Adapters.PrefixTuning;
using Pipeline.Modeling.Adapters.PromptTuning;
using Pipeline.Modeling.Adapters.Selective;
using Pipeline.Modeling.Configuration;
using static TorchSharp.torch;

namespace Pipeline.Training.FineTuning;

/// <summary>
/// Maps the run YAML's training block (method and its block: lora, freeze, prompt_tuning, prefix_tuning, p_tuning, bottleneck, ln_tuning, ia3) onto Pipeline.Modeling's
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
            PrefixTuning = new PrefixTuningConfig
            {
                NumVirtualTokens = settings.PrefixTuning.VirtualTokens,
                PrefixProjection = settings.PrefixTuning.PrefixProjection,
                EncoderHiddenSize = settings.PrefixTuning.EncoderHiddenSize,
            },
            PTuning = new PTuningConfig
            {
                NumVirtualTokens = settings.PTuning.VirtualTokens,
                EncoderType = settings.PTuning.Encoder,
                EncoderHiddenSize = settings.PTuning.EncoderHiddenSize,
                EncoderNumLayers = settings.PTuning.EncoderNumLayers,
                EncoderDropout = settings.PTuning.EncoderDropout,
            },
            Bottleneck = new BottleneckConfig
            {
                ReductionFactor = settings.Bottleneck.ReductionFactor,
                Placement = settings.Bottleneck.Placement,
                NonLinearity = settings.Bottleneck.NonLinearity,
            },
            // Empty lists stand for PEFT's defaults for the architecture.
            LnTuning = new LnTuningConfig { TargetModules = settings.LnTuning.TargetModules.Count == 0 ? null : settings.LnTuning.TargetModules },
            Ia3 = new Ia3Config
            {
                TargetModules = settings.Ia3.TargetModules.Count == 0 ? null : settings.Ia3.TargetModules,
                FeedforwardModules = settings.Ia3.TargetModules.Count == 0 ? null : settings.Ia3.FeedforwardModules,
            },
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
