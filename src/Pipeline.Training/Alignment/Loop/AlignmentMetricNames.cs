namespace Pipeline.Training.Alignment.Loop;

/// <summary>
/// The names the alignment stages report under, hierarchical as TRL and verl name them. Prometheus names are derived
/// from these in one place (StageMetrics: '/' becomes '_', prefixed pipeline_).
/// </summary>
public static class AlignmentMetricNames
{
    public const string Kl = "objective/kl";
    public const string KlCoefficient = "objective/kl_coef";
    public const string RlhfReward = "objective/rlhf_reward";
    public const string Scores = "objective/scores";
    public const string Entropy = "objective/entropy";
    public const string LengthCorrelation = "objective/length_correlation";
    public const string RewardStd = "objective/reward_std";
    public const string FracRewardZeroStd = "objective/frac_reward_zero_std";
    public const string PolicyClipFraction = "policy/clipfrac";
    public const string PolicyApproxKl = "policy/approxkl";
    public const string PolicyLoss = "loss/policy";
    public const string ValueLoss = "loss/value";
    public const string ValueClipFraction = "val/clipfrac";
    public const string Ratio = "val/ratio";
    public const string MeanLength = "completions/mean_length";
    public const string ClippedRatio = "completions/clipped_ratio";
    public const string TimingRollout = "timing/rollout";
    public const string TimingScore = "timing/score";
    public const string TimingUpdate = "timing/update";
    public const string TokensPerSecond = "perf/tokens_per_second";
    public const string LearningRate = "train/learning_rate";
    public const string GradNorm = "train/grad_norm";
    public const string EvalReward = "eval/reward";
    public const string EvalRewardStart = "eval/reward_start";

    /// <summary>A reward source's own mean score: rewards/NAME.</summary>
    public static string Reward(string source) => $"rewards/{source}";
}
