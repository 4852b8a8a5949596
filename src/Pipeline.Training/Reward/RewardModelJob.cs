using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Reward;

/// <summary>What one reward-model run trains, on what, and where its output goes (hyperparameters: <see cref="Pipeline.Configuration.RewardModelSettings"/>).</summary>
public sealed record RewardModelJob
{
    /// <summary>The SFT or base model the reward model starts from; the trainer takes it over (its lm_head is removed).</summary>
    public required CausalLanguageModel Model { get; init; }

    public required ITextTokenizer Tokenizer { get; init; }

    public required IChatTemplate ChatTemplate { get; init; }

    /// <summary>Preference pairs (prompt messages, chosen, rejected) of the dataset's train split.</summary>
    public required IReadOnlyList<Example> Train { get; init; }

    /// <summary>Held-out pairs for accuracy and mean margin; empty: no evaluation.</summary>
    public IReadOnlyList<Example> Validation { get; init; } = [];

    /// <summary>Where the reward model is written in Hugging Face sequence-classification layout.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The tokenizer's folder; its files are copied into the output.</summary>
    public string? TokenizerDirectory { get; init; }

    public TrainingHooks Hooks { get; init; } = new();
}

/// <summary>The outcome of <see cref="RewardModelTrainer.TrainAsync"/>.</summary>
/// <param name="Metrics">train/loss, perf/tokens_per_second and, with validation pairs, eval/loss, eval/accuracy, eval/mean_margin.</param>
/// <param name="OutputDirectory">The written model folder; null when the run yielded.</param>
public sealed record RewardModelResult(
    TrainingResult Training,
    IReadOnlyDictionary<string, double> Metrics,
    string? OutputDirectory,
    RewardModel Model);
