using Pipeline.Contracts;
using Pipeline.Modeling.Adapters.Bottleneck;
using Pipeline.Modeling.Adapters.Ia3;
using Pipeline.Modeling.Adapters.LnTuning;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.PTuning;
using Pipeline.Modeling.Adapters.PrefixTuning;
using Pipeline.Modeling.Adapters.PromptTuning;
using Pipeline.Modeling.Adapters.Selective;
using Pipeline.Modeling.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters;

/// <summary>
/// One place that decides which parameters of a loaded model train: full fine-tuning, LoRA, QLoRA, layer or
/// embedding freezing, BitFit, prompt tuning, prefix tuning, P-tuning, bottleneck adapters, LayerNorm tuning or
/// (IA)³, each with its settings. Apply it once, after loading and
/// before building the optimizer over the parameters that require gradients.
/// </summary>
public sealed record TrainableParameterPolicy
{
    /// <summary>method = full: every parameter trains.</summary>
    public FineTuningMethod Method { get; init; } = FineTuningMethod.Full;

    /// <summary>The adapter for lora and qlora (PEFT's defaults: r 8, alpha 16, dropout 0.05, q_proj/v_proj or c_attn).</summary>
    public LoraConfig Lora { get; init; } = new();

    /// <summary>qlora: dtype of the dequantized base weights and the base matmul; bfloat16 as in QLoRA (float32 for exactness).</summary>
    public ScalarType QLoraComputeDtype { get; init; } = ScalarType.BFloat16;

    /// <summary>qlora: how the base is stored (NF4, block 64, double-quantized scales).</summary>
    public Nf4Options Nf4 { get; init; } = new();

    /// <summary>freeze: the layers and/or embeddings held fixed.</summary>
    public FreezeOptions Freeze { get; init; } = new();

    /// <summary>prompt_tuning: the number of virtual tokens.</summary>
    public PromptTuningConfig PromptTuning { get; init; } = new();

    /// <summary>prefix_tuning: prefix length, MLP reparametrization.</summary>
    public PrefixTuningConfig PrefixTuning { get; init; } = new();

    /// <summary>p_tuning: virtual tokens and the prompt encoder.</summary>
    public PTuningConfig PTuning { get; init; } = new();

    /// <summary>bottleneck: reduction factor, Houlsby or Pfeiffer placement.</summary>
    public BottleneckConfig Bottleneck { get; init; } = new();

    /// <summary>ln_tuning: the norms to tune (PEFT's defaults).</summary>
    public LnTuningConfig LnTuning { get; init; } = new();

    /// <summary>ia3: the rescaled modules (PEFT's defaults).</summary>
    public Ia3Config Ia3 { get; init; } = new();

    /// <summary>Seed of the new parameters' initialization (LoRA's A, the prompt's vocabulary sample), so runs repeat.</summary>
    public long Seed { get; init; } = 0;

    /// <summary>Checks the settings of the chosen method (field-naming errors); the layer range is checked against the model at Apply.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Method))
            throw new AdapterConfigException($"method: {(int)Method} is not a fine-tuning method; allowed: {string.Join(", ", Enum.GetNames<FineTuningMethod>())}.");
        switch (Method)
        {
            case FineTuningMethod.Lora:
                Lora.Validate();
                break;
            case FineTuningMethod.Qlora:
                Lora.Validate();
                Nf4.Validate();
                if (QLoraComputeDtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
                    throw new AdapterConfigException($"qlora: compute_dtype: {QLoraComputeDtype} is not supported; allowed: float32, bfloat16, float16.");
                break;
            case FineTuningMethod.PromptTuning:
                PromptTuning.Validate();
                break;
            case FineTuningMethod.PrefixTuning:
                PrefixTuning.Validate();
                break;
            case FineTuningMethod.PTuning:
                PTuning.Validate();
                break;
        }
    }

    /// <summary>
    /// Applies the method to <paramref name="model"/> (changing it in place; prompt tuning, P-tuning and prefix tuning wrap it) and reports
    /// trainable / total parameters. Adapters go on the device and dtype of the model's weights.
    /// </summary>
    public AdaptedModel Apply(CausalLanguageModel model)
    {
        Validate();
        using var generator = new Generator((ulong)Seed);
        QuantizationReport? quantization = null;
        var trained = model;
        switch (Method)
        {
            case FineTuningMethod.Full:
                ParameterSelection.TrainAll(model);
                break;
            case FineTuningMethod.Lora:
                LoraAdapter.Apply(model, Lora, generator);
                break;
            case FineTuningMethod.Qlora:
                quantization = QLoraAdapter.Apply(model, Lora, QLoraComputeDtype, Nf4, generator);
                break;
            case FineTuningMethod.Freeze:
                ParameterSelection.Freeze(model, Freeze);
                break;
            case FineTuningMethod.Bitfit:
                ParameterSelection.BitFit(model);
                break;
            case FineTuningMethod.PromptTuning:
                trained = PromptTuningAdapter.Apply(model, PromptTuning, generator);
                break;
            case FineTuningMethod.PrefixTuning:
                trained = PrefixTuningAdapter.Apply(model, PrefixTuning, generator);
                break;
            case FineTuningMethod.PTuning:
                trained = PTuningAdapter.Apply(model, PTuning, generator);
                break;
            case FineTuningMethod.Bottleneck:
                BottleneckAdapter.Apply(model, Bottleneck, generator);
                break;
            case FineTuningMethod.LnTuning:
                LnTuningAdapter.Apply(model, LnTuning);
                break;
            case FineTuningMethod.Ia3:
                Ia3Adapter.Apply(model, Ia3);
                break;
        }
        return new AdaptedModel(trained, Method, TrainableSummary.Of(trained), quantization) { Policy = this };
    }
}
