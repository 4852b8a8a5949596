using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Training;

/// <summary>
/// Reward model training: a scalar head on the last non-pad token, loss −log σ(r_chosen − r_rejected − margin).
/// </summary>
public sealed record RewardModelSettings : TrainingSettings
{
    /// <summary>Learning rate default 1e-5: the head starts random, but the body is already tuned.</summary>
    public RewardModelSettings() => LearningRate = 1e-5;

    /// <summary>
    /// Required gap between chosen and rejected rewards (Llama 2's margin loss), default 0: the plain
    /// Bradley–Terry loss.
    /// </summary>
    [Range(0, 100)]
    public double Margin { get; init; }

    /// <summary>
    /// Weight of an extra (r_chosen + r_rejected)² penalty that keeps rewards centred on zero, default 0
    /// (off); TRL suggests 0.01 when rewards are consumed by PPO.
    /// </summary>
    [Range(0, 1)]
    public double CenterRewardsCoefficient { get; init; }

    protected override string? MethodRefusal => MethodSupport.RewardModelRefusal(Method);
}
