using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Training;

/// <summary>
/// PPO with a value head, as in InstructGPT and TRL: each step samples completions for
/// <see cref="RolloutBatchSize"/> prompts, scores them with the reward model, adds a per-token KL
/// penalty to the frozen reference, estimates advantages with GAE, then runs <see cref="PpoEpochs"/>
/// passes of clipped updates over mini-batches of <see cref="MiniBatchSize"/> sequences, each in
/// micro-batches of batch_size (so gradient_accumulation_steps is not used here). The value head shares the
/// policy's transformer (TRL's classic layout, one copy of the weights): a linear layer on its final hidden states,
/// initialised from the reward model's score head when the sizes agree (its scores are the values to predict), else zeros.
/// </summary>
public sealed record PpoSettings : OnlineAlignmentSettings
{
    /// <summary>
    /// Learning rate default 1.41e-5 (TRL's PPO default with a shared value head), micro-batch default 4.
    /// </summary>
    public PpoSettings()
    {
        LearningRate = 1.41e-5;
        BatchSize = 4;
    }

    /// <summary>
    /// Initial coefficient of the per-token KL penalty toward the reference policy, default 0.05:
    /// enough to stop reward hacking without freezing the policy.
    /// </summary>
    [Range(0, 10)]
    public double KlCoef { get; init; } = 0.05;

    /// <summary>Adapt kl_coef toward <see cref="TargetKl"/> (Ziegler et al.), default false: fixed is easier to reason about.</summary>
    public bool AdaptiveKl { get; init; }

    /// <summary>KL (nats per sequence) that the adaptive controller aims for, default 6; only with adaptive_kl.</summary>
    [Range(0, 1000, MinimumIsExclusive = true)]
    public double TargetKl { get; init; } = 6.0;

    /// <summary>Horizon (in sequences) of the adaptive controller's correction, default 10 000; only with adaptive_kl.</summary>
    [Range(1, double.PositiveInfinity)]
    public int KlHorizon { get; init; } = 10_000;

    /// <summary>Discount, default 1: episodes are single completions, so nothing needs discounting.</summary>
    [Range(0, 1)]
    public double Gamma { get; init; } = 1.0;

    /// <summary>GAE λ, default 0.95: the usual bias/variance balance.</summary>
    [Range(0, 1)]
    public double Lam { get; init; } = 0.95;

    /// <summary>Policy ratio clip ε, default 0.2 (the PPO paper).</summary>
    [Range(0, 1, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double Cliprange { get; init; } = 0.2;

    /// <summary>Clip on the value prediction's change per update, default 0.2.</summary>
    [Range(0, 100, MinimumIsExclusive = true)]
    public double CliprangeValue { get; init; } = 0.2;

    /// <summary>Weight of the value loss in the shared objective, default 0.1 (TRL's): keeps it from dominating.</summary>
    [Range(0, 10)]
    public double VfCoef { get; init; } = 0.1;

    /// <summary>Optimization passes over each rollout batch, default 4.</summary>
    [Range(1, 100)]
    public int PpoEpochs { get; init; } = 4;

    /// <summary>Sequences per optimizer step, default 4; must divide rollout_batch_size and be a multiple of batch_size.</summary>
    [Range(1, 65_536)]
    public int MiniBatchSize { get; init; } = 4;

    /// <summary>Prompts sampled per PPO step, default 16: four mini-batches, so each rollout is reused a little.</summary>
    [Range(1, 65_536)]
    public int RolloutBatchSize { get; init; } = 16;



    /// <summary>
    /// Per-token KL estimator, default k1 (log ratio; unbiased but can go negative); k3 is always
    /// non-negative with lower variance (Schulman's note on KL approximations).
    /// </summary>
    public KlEstimator KlEstimator { get; init; } = KlEstimator.K1;

    /// <summary>Normalize advantages to zero mean and unit variance per batch, default true: stabler updates.</summary>
    public bool WhitenAdvantages { get; init; } = true;

    /// <summary>Clip reward-model scores to ±this, default 5: one outlier score cannot blow up an update. 0: no clipping.</summary>
    [Range(0, 1000)]
    public double ScoreClip { get; init; } = 5.0;

    protected override string StageName => "ppo";

    protected override string Batching => "each mini-batch of mini_batch_size sequences is one optimizer step, run in micro-batches of batch_size";

    protected override void Validate(SettingsValidationContext context)
    {
        base.Validate(context);
        if (context.IsValid("rollout_batch_size", "mini_batch_size") && RolloutBatchSize % MiniBatchSize != 0)
            context.Error("mini_batch_size", $"must divide rollout_batch_size ({RolloutBatchSize}) so each rollout splits into whole mini-batches, but it is {MiniBatchSize}");
        else if (context.IsValid("mini_batch_size", "batch_size") && MiniBatchSize % BatchSize != 0)
            context.Error("batch_size", $"must divide mini_batch_size ({MiniBatchSize}) so each mini-batch splits into whole micro-batches, but it is {BatchSize}");
        if (!AdaptiveKl && context.IsValid("adaptive_kl"))
        {
            foreach (var key in new[] { "target_kl", "kl_horizon" }.Where(context.IsSet))
                context.Error(key, "only used when adaptive_kl is true; set adaptive_kl: true or remove this key");
        }
    }
}

/// <summary>Per-token estimators of KL(π ‖ π_ref) from samples of π (r = π_ref/π).</summary>
public enum KlEstimator
{
    /// <summary>−log r: unbiased, high variance, can be negative.</summary>
    K1,
    /// <summary>(r − 1) − log r: unbiased, non-negative, lower variance.</summary>
    K3,
}
