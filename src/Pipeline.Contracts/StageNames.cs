namespace Pipeline.Contracts;

/// <summary>
/// The stages of a run, spelled as they are in a run config. Order here is the pipeline order.
/// </summary>
public static class StageNames
{
    public const string Pretrain = "pretrain";
    public const string Ingest = "ingest";
    public const string Synthesize = "synthesize";
    public const string Sft = "sft";
    public const string Feedback = "feedback";
    public const string RewardModel = "reward_model";
    public const string Ppo = "ppo";
    public const string Grpo = "grpo";
    public const string Dpo = "dpo";
    public const string Evaluate = "evaluate";

    public static readonly IReadOnlyList<string> InOrder = [Pretrain, Ingest, Synthesize, Sft, Feedback, RewardModel, Ppo, Grpo, Dpo, Evaluate];

    public static bool IsKnown(string stage) => InOrder.Contains(stage);
}

/// <summary>
/// Names of the artifact roles that stages consume and produce. A stage's completed event says which
/// role each output fills; the run keeps the latest artifact per role and hands it to later stages.
/// </summary>
public static class ArtifactRoles
{
    public const string Dataset = "dataset";
    public const string Preferences = "preferences";
    public const string BaseModel = "base_model";
    public const string SftModel = "sft_model";
    public const string RewardModel = "reward_model";
    public const string PolicyModel = "policy_model";

    /// <summary>SFT's adapter in PEFT's layout (every adapter method), beside the merged sft_model where it merges.</summary>
    public const string SftAdapter = "sft_adapter";

    /// <summary>The alignment stage's policy adapter in PEFT's layout, beside the merged policy_model.</summary>
    public const string PolicyAdapter = "policy_adapter";
    public const string Report = "report";

    /// <summary>The feedback stage's sampled replies for human raters (judge: human), read by `pipeline feedback export`/`import`.</summary>
    public const string FeedbackCandidates = "feedback_candidates";
}
