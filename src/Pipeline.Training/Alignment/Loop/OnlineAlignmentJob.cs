using Pipeline.Modeling;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Alignment.Loop;

/// <summary>
/// What one PPO or GRPO run trains, on which prompts, against which rewards, and where its output goes. Its
/// <see cref="TrainingJob.Train"/> rows give the prompts that are sampled (conversations without their last assistant turn,
/// preference prompts); its <see cref="TrainingJob.Validation"/> rows the prompts the eval_reward judge scores.
/// </summary>
public sealed record OnlineAlignmentJob : TrainingJob
{
    /// <summary>The SFT (or base) model the policy starts from; the trainer takes it over.</summary>
    public required CausalLanguageModel Policy { get; init; }

    /// <summary>
    /// Loads another copy of the starting model, for the frozen reference of full fine-tuning. Not called with LoRA or
    /// QLoRA (the reference is the policy with its adapters off) nor when GRPO's beta is 0.
    /// </summary>
    public required Func<CausalLanguageModel> LoadReference { get; init; }

    public required RewardSourceCatalog Rewards { get; init; }

    public string? BaseModelNameOrPath { get; init; }

    /// <summary>Stage name used in error messages that point at config keys (ppo, grpo).</summary>
    public required string Stage { get; init; }
}

/// <summary>The outcome of an online alignment run.</summary>
/// <param name="OutputDirectory">The written policy (HF model, or PEFT adapter with <paramref name="SavedAdapter"/>); null when the run yielded.</param>
public sealed record OnlineAlignmentResult(AlignmentResult Run, IReadOnlyDictionary<string, double> Metrics, string? OutputDirectory, bool SavedAdapter);
