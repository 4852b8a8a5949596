using Pipeline.Contracts;
using Pipeline.Modeling.Adapters.Bottleneck;
using Pipeline.Modeling.Adapters.Ia3;
using Pipeline.Modeling.Adapters.LnTuning;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Modeling.Adapters.PTuning;
using Pipeline.Modeling.Adapters.PrefixTuning;
using Pipeline.Modeling.Adapters.PromptTuning;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Quantization;

namespace Pipeline.Modeling.Adapters;

/// <summary>
/// A model prepared for training by a <see cref="TrainableParameterPolicy"/>: the module to train (the same
/// object, or a <see cref="PromptTuningModel"/> / <see cref="PrefixTuningModel"/> around it), what trains, and for
/// QLoRA what quantizing cost.
/// </summary>
public sealed record AdaptedModel(CausalLanguageModel Model, FineTuningMethod Method, TrainableSummary Summary, QuantizationReport? Quantization)
{
    /// <summary>The policy that made it (its method's settings are saved with the adapter).</summary>
    public TrainableParameterPolicy Policy { get; init; } = new();

    /// <summary>Whether the result of training is an adapter folder (every method but full, freeze and bitfit) rather than a full model.</summary>
    public bool SavesAdapter => Method is not (FineTuningMethod.Full or FineTuningMethod.Freeze or FineTuningMethod.Bitfit);

    /// <summary>Whether the adapter can be merged into the base weights (lora, qlora, ia3, ln_tuning; not the additive kinds).</summary>
    public bool CanMerge => PeftAdapters.CanMerge(Method);

    /// <summary>
    /// Saves what training produced: a PEFT adapter folder for the adapter methods, a full Hugging Face
    /// checkpoint (config.json + safetensors) otherwise.
    /// </summary>
    public void Save(string directory, string? baseModelNameOrPath = null)
    {
        switch (Method)
        {
            case FineTuningMethod.Lora or FineTuningMethod.Qlora:
                LoraAdapter.Save(Model, directory, baseModelNameOrPath);
                break;
            case FineTuningMethod.PromptTuning:
                PromptTuningAdapter.Save((PromptTuningModel)Model, directory, baseModelNameOrPath);
                break;
            case FineTuningMethod.PTuning:
                PTuningAdapter.Save((PromptTuningModel)Model, Policy.PTuning, directory, baseModelNameOrPath);
                break;
            case FineTuningMethod.PrefixTuning:
                PrefixTuningAdapter.Save((PrefixTuningModel)Model, Policy.PrefixTuning, directory, baseModelNameOrPath);
                break;
            case FineTuningMethod.Bottleneck:
                BottleneckAdapter.Save(Model, Policy.Bottleneck, directory, baseModelNameOrPath);
                break;
            case FineTuningMethod.LnTuning:
                LnTuningAdapter.Save(Model, directory, baseModelNameOrPath);
                break;
            case FineTuningMethod.Ia3:
                Ia3Adapter.Save(Model, directory, baseModelNameOrPath);
                break;
            default:
                CausalLmLoader.Save(Model, directory);
                break;
        }
    }

    /// <summary>Merges the adapter into the base weights and returns the plain model (an error naming the method for the additive kinds).</summary>
    public CausalLanguageModel MergeAndUnload() => PeftAdapters.MergeAndUnload(Model);
}
