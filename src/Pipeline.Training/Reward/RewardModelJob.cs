using Pipeline.Modeling;
using Pipeline.Training.Loop;

namespace Pipeline.Training.Reward;

/// <summary>
/// What one reward-model run trains, on which preference pairs, and where its output goes (hyperparameters:
/// <see cref="Pipeline.Configuration.RewardModelSettings"/>). Its <see cref="TrainingJob.OutputDirectory"/> receives the
/// reward model in Hugging Face sequence-classification layout.
/// </summary>
public sealed record RewardModelJob : TrainingJob
{
    /// <summary>The SFT or base model the reward model starts from; the trainer takes it over (its lm_head is removed).</summary>
    public required CausalLanguageModel Model { get; init; }
}

/// <summary>The outcome of <see cref="RewardModelTrainer.TrainAsync"/>.</summary>
/// <param name="Metrics">train/loss, perf/tokens_per_second and, with validation pairs, eval/loss, eval/accuracy, eval/mean_margin.</param>
/// <param name="OutputDirectory">The written model folder; null when the run yielded.</param>
public sealed record RewardModelResult(
    TrainingResult Training,
    IReadOnlyDictionary<string, double> Metrics,
    string? OutputDirectory,
    RewardModel Model);
