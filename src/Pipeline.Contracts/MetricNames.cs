namespace Pipeline.Contracts;

/// <summary>
/// Every name a stage reports a metric under, hierarchical as TRL and verl name them (train/loss, eval/loss,
/// objective/kl, loss/value, perf/tokens_per_second): the one table that trainers, stage workers, the run story, the
/// report, the dashboards and the alert rules read. <see cref="ToPrometheus"/> is the one mapping to Prometheus names.
/// </summary>
public static class MetricNames
{
    // The stage runtime.
    /// <summary>Fraction of the stage done, 0..1.</summary>
    public const string Progress = "progress";
    public const string EtaSeconds = "perf/eta_seconds";
    /// <summary>The checkpoint step a slice continued from (absent when it started fresh).</summary>
    public const string ResumedAtStep = "train/resumed_at_step";

    // Training (SFT, reward model, pretraining, and the policy update of the alignment stages).
    public const string TrainLoss = "train/loss";
    public const string LearningRate = "train/learning_rate";
    public const string GradNorm = "train/grad_norm";
    /// <summary>Real tokens ÷ token slots of the packed rows (1 = no padding).</summary>
    public const string PackingEfficiency = "train/packing_efficiency";
    public const string TokensPerSecond = "perf/tokens_per_second";

    // Held-out evaluation.
    public const string EvalLoss = "eval/loss";
    /// <summary>The starting model's held-out loss on the same validation set, before the stage trained it.</summary>
    public const string BaseEvalLoss = "eval/base_loss";
    public const string EvalPerplexity = "eval/perplexity";
    /// <summary>The reward model's held-out agreement: the share of pairs it scores chosen above rejected.</summary>
    public const string EvalAccuracy = "eval/accuracy";
    public const string EvalMeanMargin = "eval/mean_margin";
    /// <summary>An independent judge's mean score of the policy's greedy replies to held-out prompts.</summary>
    public const string EvalReward = "eval/reward";
    public const string EvalRewardStart = "eval/reward_start";

    // Online alignment (PPO, GRPO).
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

    // DPO: the policy's implicit rewards β·log(π/π_ref) of the chosen and rejected replies (TRL's names).
    public const string RewardsChosen = "rewards/chosen";
    public const string RewardsRejected = "rewards/rejected";
    public const string RewardsAccuracies = "rewards/accuracies";
    public const string RewardsMargins = "rewards/margins";

    /// <summary>A step metric measured on held-out examples: rewards/margins → eval/rewards/margins.</summary>
    public static string Eval(string name) => "eval/" + name;

    /// <summary>A reward source's own mean score: rewards/NAME.</summary>
    public static string Reward(string source) => $"rewards/{source}";

    // The evaluation report, per candidate.
    /// <summary>A judge's mean score of a candidate's replies: judge/NAME.</summary>
    public static string Judge(string judge) => $"judge/{judge}";
    /// <summary>The share of a candidate's replies that pass one rule of a rule judge: rule/JUDGE/RULE.</summary>
    public static string Rule(string judge, string rule) => $"rule/{judge}/{rule}";
    public const string WinRate = "preference/win_rate";
    public const string LengthControlledWinRate = "preference/lc_win_rate";
    public const string MeanTokens = "length/mean_tokens";
    public const string HitTokenLimit = "length/hit_limit";
    public const string Distinct1 = "diversity/distinct_1";
    public const string Distinct2 = "diversity/distinct_2";
    public const string SampledDistinct2 = "diversity/sampled_distinct_2";
    public const string RougeL = "reference/rouge_l";
    public const string ExactMatch = "reference/exact_match";
    public const string Perplexity = "reference/perplexity";
    public const string KlFromStart = "objective/kl_from_start";

    /// <summary>
    /// The metrics exported under their own Prometheus names too (pipeline_train_loss{run,stage}, ...), for dashboards
    /// and alerts that want a metric family per quantity; every name is also on pipeline_stage_metric{name=...}.
    /// </summary>
    public static readonly IReadOnlyList<string> Gauged = [TrainLoss, LearningRate, GradNorm, TokensPerSecond, EvalLoss, EvalAccuracy, Kl];

    /// <summary>
    /// The Prometheus name of a metric: train/loss → pipeline_train_loss. Prometheus allows [a-zA-Z0-9_:] only, so every
    /// other character becomes '_'; the prefix keeps the project's metrics apart from the runtime's.
    /// </summary>
    public static string ToPrometheus(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_')) chars[i] = '_';
        return "pipeline_" + new string(chars);
    }
}
