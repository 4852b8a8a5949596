using Pipeline.Contracts;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Quantization;

namespace Pipeline.Modeling.Adapters;

/// <summary>
/// A model prepared for training by a <see cref="TrainableParameterPolicy"/>: the module to train (the same
/// object, or a <see cref="PromptTuningModel"/> around it), what trains, and for QLoRA what quantizing cost.
/// </summary>
public sealed record AdaptedModel(CausalLanguageModel Model, FineTuningMethod Method, TrainableSummary Summary, QuantizationReport? Quantization)
{
    /// <summary>Whether the result of training is an adapter folder (LoRA, QLoRA, prompt tuning) rather than a full model.</summary>
    public bool SavesAdapter => Method is FineTuningMethod.Lora or FineTuningMethod.Qlora or FineTuningMethod.PromptTuning;

    /// <summary>
    /// Saves what training produced: a PEFT adapter folder for LoRA, QLoRA and prompt tuning, a full Hugging Face
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
            default:
                CausalLmLoader.Save(Model, directory);
                break;
        }
    }
}
