using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Sft;

/// <summary>What one SFT run trains, on what, and where its output goes (the hyperparameters are <see cref="Pipeline.Configuration.SftSettings"/>).</summary>
public sealed record SftJob
{
    /// <summary>The starting model (moved to the settings' device and dtype by the trainer).</summary>
    public required CausalLanguageModel Model { get; init; }

    public required ITextTokenizer Tokenizer { get; init; }

    /// <summary>The model's chat template (see <see cref="ChatTemplateResolver.Resolve(string?, ITextTokenizer, DirectoryInfo)"/>).</summary>
    public required IChatTemplate ChatTemplate { get; init; }

    /// <summary>Training conversations (the dataset artifact's train split; see <see cref="Datasets.DatasetShards"/>).</summary>
    public required IReadOnlyList<Example> Train { get; init; }

    /// <summary>Held-out conversations for eval/loss and early stopping; empty: no evaluation.</summary>
    public IReadOnlyList<Example> Validation { get; init; } = [];

    /// <summary>Where the trained model (Hugging Face layout) or adapter (PEFT layout) is written when the run ends.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Recorded as base_model_name_or_path in an adapter's adapter_config.json (the base model's artifact or folder).</summary>
    public string? BaseModelNameOrPath { get; init; }

    /// <summary>The tokenizer's folder; its files are copied into the output so the model folder is complete.</summary>
    public string? TokenizerDirectory { get; init; }

    /// <summary>Checkpoint, progress, yield and resume hooks for the shared loop.</summary>
    public TrainingHooks Hooks { get; init; } = new();
}
