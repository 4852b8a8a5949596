using Pipeline.Data;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Training.Loop;

/// <summary>
/// What every trainer's job names besides its model: the tokenizer and chat template that turn rows into tokens, the
/// dataset's splits, where the output goes and the hooks of the shared loop. Each trainer's job adds its model (the
/// starting <c>Model</c> of SFT and reward modelling, the <c>Policy</c> of DPO, PPO and GRPO) and whatever else it needs.
/// </summary>
public abstract record TrainingJob
{
    public required ITextTokenizer Tokenizer { get; init; }

    /// <summary>The model's chat template (see <see cref="ChatTemplateResolver.Resolve(string?, ITextTokenizer, DirectoryInfo)"/>).</summary>
    public required IChatTemplate ChatTemplate { get; init; }

    /// <summary>
    /// Rows of the dataset's train split: conversations for SFT, preference pairs (prompt, chosen, rejected) for the reward
    /// model and DPO, rows whose prompts are sampled for PPO and GRPO (see <see cref="Datasets.DatasetShards"/>).
    /// </summary>
    public required IReadOnlyList<Example> Train { get; init; }

    /// <summary>Held-out rows of the same kind for the trainer's eval metrics (and SFT's early stopping); empty: no evaluation.</summary>
    public IReadOnlyList<Example> Validation { get; init; } = [];

    /// <summary>Where the trained model (Hugging Face layout) or adapter (PEFT layout) is written when the run ends.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The tokenizer's folder; its files are copied into the output so the model folder is complete.</summary>
    public string? TokenizerDirectory { get; init; }

    /// <summary>Checkpoint, progress, yield and resume hooks for the shared loop.</summary>
    public TrainingHooks Hooks { get; init; } = new();
}
