using Pipeline.Modeling;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Sft;

/// <summary>
/// What one SFT run trains, on which conversations, and where its output goes (the hyperparameters are
/// <see cref="Pipeline.Configuration.SftSettings"/>; the shared fields are <see cref="TrainingJob"/>'s).
/// </summary>
public sealed record SftJob : TrainingJob
{
    /// <summary>The starting model (moved to the settings' device and dtype by the trainer).</summary>
    public required CausalLanguageModel Model { get; init; }

    /// <summary>Recorded as base_model_name_or_path in an adapter's adapter_config.json (the base model's artifact or folder).</summary>
    public string? BaseModelNameOrPath { get; init; }
}
