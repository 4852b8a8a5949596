using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Training;

/// <summary>
/// Group relative policy optimization (DeepSeekMath; TRL's GRPOTrainer): each step samples num_generations completions
/// for each of prompts_per_step prompts, and a completion's advantage is its reward minus its group's mean, divided by the
/// group's standard deviation (or not: Dr. GRPO). No value model. The KL to the reference is a loss term (k3 estimator)
/// with its own beta; beta 0 loads no reference model at all. The clipped ratio uses epsilon_low and epsilon_high
/// (DAPO's asymmetric clipping), and the loss is aggregated per token over the whole batch (DAPO's token-level mean),
/// so long completions are not down-weighted against short ones.
/// </summary>
public sealed record GrpoSettings : OnlineAlignmentSettings
{
    /// <summary>Learning rate default 1e-6 (TRL's GRPO default); micro-batch default 8.</summary>
    public GrpoSettings()
    {
        LearningRate = 1e-6;
        BatchSize = 8;
    }

    protected override string StageName => "grpo";

    protected override string Batching => "each rollout batch (prompts_per_step × num_generations completions) is one optimizer step per iteration, run in micro-batches of batch_size";

    /// <summary>Completions sampled per prompt (the group), default 4; at least 2, since a group of one has no spread.</summary>
    [Range(2, 1024)]
    public int NumGenerations { get; init; } = 4;

    /// <summary>Prompts per step, default 4: prompts_per_step × num_generations completions per rollout batch.</summary>
    [Range(1, 65_536)]
    public int PromptsPerStep { get; init; } = 4;

    /// <summary>
    /// Weight of the KL-to-reference loss term, default 0.04 (DeepSeekMath's). 0: no KL term and no reference model
    /// in memory (what recent recipes such as DAPO and Dr. GRPO use).
    /// </summary>
    [Range(0, 100)]
    public double Beta { get; init; } = 0.04;

    /// <summary>Lower clip of the ratio (1 − epsilon_low), default 0.2 (PPO's).</summary>
    [Range(0, 1, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double EpsilonLow { get; init; } = 0.2;

    /// <summary>Upper clip of the ratio (1 + epsilon_high), default 0.2; DAPO raises it to 0.28 so rare good tokens can grow.</summary>
    [Range(0, 10, MinimumIsExclusive = true)]
    public double EpsilonHigh { get; init; } = 0.2;

    /// <summary>
    /// Divide advantages by the group's standard deviation, default true (GRPO); false is Dr. GRPO, which argues the
    /// division over-weights groups whose rewards barely differ.
    /// </summary>
    public bool ScaleRewards { get; init; } = true;

    /// <summary>Optimizer passes over each rollout batch (μ in the paper), default 1: fully on-policy.</summary>
    [Range(1, 100)]
    public int NumIterations { get; init; } = 1;
}
