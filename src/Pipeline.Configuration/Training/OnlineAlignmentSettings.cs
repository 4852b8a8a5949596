using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Training;

/// <summary>
/// What the online alignment stages (ppo, grpo) share: they sample completions from the policy for the dataset's
/// prompts, score them with the configured reward sources, and update the policy. A step is one rollout batch;
/// max_steps above 0 sets the number of steps, otherwise epochs passes over the prompts.
/// </summary>
public abstract record OnlineAlignmentSettings : TrainingSettings
{
    /// <summary>
    /// Where the reward comes from, default [reward_model] (the run's reward model). Each entry names a source: <c>reward_model</c>,
    /// or a rule-based reward function registered in code (the quickstart registers <c>house_style</c>); several are summed with
    /// their weights, and each is logged on its own as <c>rewards/NAME</c>.
    /// </summary>
    [Count(1)]
    public IReadOnlyList<RewardSourceSettings> Rewards { get; init; } = [new RewardSourceSettings()];

    /// <summary>Longest sampled completion in tokens, default 64 (short replies keep rollouts cheap).</summary>
    [Range(1, 8192)]
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>
    /// Longest prompt in tokens, default 256; longer prompts keep their last tokens (the user's question), as the
    /// completion is what is trained.
    /// </summary>
    [Range(1, 131_072)]
    public int MaxPromptLength { get; init; } = 256;

    /// <summary>
    /// Rollout sampling temperature, default 1: the policy's own distribution, so the KL and the ratio are computed on
    /// what it actually samples. The training log-probabilities use the same temperature.
    /// </summary>
    [Range(0, 2, MinimumIsExclusive = true)]
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling for rollouts, default 1 (off): truncating the distribution biases the ratio.</summary>
    [Range(0, 1, MinimumIsExclusive = true)]
    public double TopP { get; init; } = 1.0;

    /// <summary>
    /// Subtracted from the score of a completion that ran out of tokens without an end-of-sequence token, default 0 (off);
    /// TRL's missing_eos_penalty. Discourages rambling to the length limit.
    /// </summary>
    [Range(0, 1000)]
    public double MissingEosPenalty { get; init; }

    /// <summary>
    /// KL budget (nats per completion, the mean of objective/kl), default 0 (off). When a step goes over it, the stage stops
    /// early, keeps the weights of the last checkpoint under budget and says so in its metrics (stopped_on_kl_budget).
    /// </summary>
    [Range(0, 10_000)]
    public double MaxKl { get; init; }

    /// <summary>
    /// An independent judge (a reward source name, e.g. house_style or reward_model) that scores greedy replies to held-out
    /// prompts every eval_every steps and at the start and end, as <c>eval/reward</c>; default none. A policy that games its
    /// reward while this judge stays flat shows up here.
    /// </summary>
    public string? EvalReward { get; init; }

    /// <summary>Held-out prompts (from the dataset's validation split) the eval_reward judge scores, default 32.</summary>
    [Range(1, 100_000)]
    public int EvalPrompts { get; init; } = 32;

    /// <summary>Write prompts, completions and per-source scores to samples.jsonl every this many steps, default 10; 0: never.</summary>
    [Range(0, double.PositiveInfinity)]
    public int SampleEvery { get; init; } = 10;

    /// <summary>The stage these settings configure (ppo, grpo), for messages.</summary>
    protected abstract string StageName { get; }

    /// <summary>How a rollout batch becomes optimizer steps, for the message refusing gradient_accumulation_steps.</summary>
    protected abstract string Batching { get; }

    /// <summary>Whether a source name is the run's reward model rather than a registered function.</summary>
    public bool UsesRewardModel =>
        Rewards.Any(r => r.Source == RewardSourceSettings.RewardModelSource) || EvalReward == RewardSourceSettings.RewardModelSource;

    protected override string? MethodRefusal => MethodSupport.AlignmentRefusal(Method);

    protected override void Validate(SettingsValidationContext context)
    {
        base.Validate(context);
        if (context.IsSet("gradient_accumulation_steps"))
            context.Error("gradient_accumulation_steps", $"not used by {StageName}: {Batching}; remove this key");
        if (context.IsSet("early_stopping_patience"))
            context.Error("early_stopping_patience", $"not used by {StageName} (there is no validation loss); use max_kl to stop a run that drifts; remove this key");
        if (context.IsValid("rewards"))
        {
            var duplicate = Rewards.GroupBy(r => r.Source).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                context.Error("rewards", $"names the source '{duplicate.Key}' more than once; give it one entry with the combined weight");
        }
    }
}

/// <summary>One reward source of an online alignment stage, with its weight in the sum.</summary>
public sealed record RewardSourceSettings
{
    /// <summary>The source that is the run's reward model (the reward_model stage's output, or inputs.reward_model).</summary>
    public const string RewardModelSource = "reward_model";

    /// <summary>
    /// reward_model, or the name of a rule-based reward function registered in code (checked when the stage starts,
    /// which lists the registered names). Default reward_model.
    /// </summary>
    [Pattern("^[a-z][a-z0-9_]*$", "a snake_case name such as reward_model or house_style")]
    public string Source { get; init; } = RewardModelSource;

    /// <summary>Weight of this source in the summed reward, default 1.</summary>
    [Range(-1000, 1000)]
    public double Weight { get; init; } = 1.0;
}
