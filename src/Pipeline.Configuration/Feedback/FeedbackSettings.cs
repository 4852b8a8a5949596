using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Feedback;

/// <summary>
/// The feedback stage, step 2 of RLHF: for each prompt of the dataset the policy (the SFT model) samples several replies,
/// a judge scores them, and the ranked replies become preference pairs for the reward model (role preferences). The pairs
/// are on-policy: the reward model learns to rank what the policy actually writes.
/// </summary>
public sealed record FeedbackSettings : StageSettings, IValidatableSettings
{
    /// <summary>The judge name for an LLM judge (RLAIF), configured under llm_judge.</summary>
    public const string LlmJudgeName = "llm";

    /// <summary>The judge name for human raters: the stage writes the candidates for `pipeline feedback export` and makes no pairs.</summary>
    public const string HumanJudgeName = "human";

    /// <summary>Replies sampled per prompt, default 4 (at least 2: a pair needs two replies).</summary>
    [Range(2, 64)]
    public int SamplesPerPrompt { get; init; } = 4;

    /// <summary>
    /// Who ranks the replies, default house_style: a rule-based function registered in code (the quickstart's house_style,
    /// the stand-in for human raters); reward_model (a trained reward model in inputs.reward_model); llm (an LLM judge, RLAIF,
    /// configured under llm_judge); or human (the stage writes the sampled replies as the feedback_candidates artifact for
    /// `pipeline feedback export`, people rank them, `pipeline feedback import` makes the preference dataset).
    /// </summary>
    [Pattern("^[a-z][a-z0-9_]*$", "a snake_case name such as house_style, reward_model, llm or human")]
    public string Judge { get; init; } = "house_style";

    /// <summary>The LLM judge's endpoint, mode and prompts, used when judge is llm; default: pairwise, asking the run's own policy in-process.</summary>
    public LlmJudgeSettings? LlmJudge { get; init; }

    /// <summary>The LLM judge's settings with defaults filled in.</summary>
    public LlmJudgeSettings LlmJudgeOrDefault => LlmJudge ?? new LlmJudgeSettings();

    /// <summary>
    /// Which pairs a prompt yields, default best_vs_worst (one pair, the clearest signal); all_pairs yields every pair whose
    /// scores differ by more than min_margin (up to k(k−1)/2, more data of mixed clarity).
    /// </summary>
    public FeedbackPairing Pairing { get; init; } = FeedbackPairing.BestVsWorst;

    /// <summary>A pair is kept only when the judge's scores differ by more than this, default 0: ties are always dropped.</summary>
    [Range(0, 1000)]
    public double MinMargin { get; init; }

    /// <summary>Prompts to sample for, default 0: every prompt of the dataset's train split.</summary>
    [Range(0, 10_000_000)]
    public int MaxPrompts { get; init; }

    /// <summary>Share of prompts (with all their pairs) held out for the reward model's validation, default 0.1.</summary>
    [Range(0, 1, MaximumIsExclusive = true)]
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Sampling temperature, default 1: the policy's own distribution, which is what the reward model will score.</summary>
    [Range(0, 2, MinimumIsExclusive = true)]
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling mass, default 1 (off).</summary>
    [Range(0, 1, MinimumIsExclusive = true)]
    public double TopP { get; init; } = 1.0;

    /// <summary>Longest reply in tokens, default 64.</summary>
    [Range(1, 8192)]
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Longest prompt in tokens, default 256 (longer prompts keep their end).</summary>
    [Range(1, 131_072)]
    public int MaxPromptLength { get; init; } = 256;

    /// <summary>Prompts sampled together (one generation batch of prompts × samples_per_prompt rows), default 16.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; init; } = 16;

    /// <summary>Save a resumable checkpoint every this many batches, default 10.</summary>
    [Range(1, double.PositiveInfinity)]
    public int CheckpointEvery { get; init; } = 10;

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        if (!context.IsValid("judge")) return;
        if (LlmJudge is not null && Judge != LlmJudgeName)
            context.Error("llm_judge", $"only used when judge is llm, but judge is {Judge}; set judge: llm or remove this block");
        if (Judge == LlmJudgeName && LlmJudgeOrDefault.Mode == LlmJudgeMode.Pairwise && MinMargin > 0 && context.IsValid("min_margin", "llm_judge"))
            context.Error("min_margin", "has no meaning for a pairwise judge, whose verdict is a preference without a size; remove it or use llm_judge.mode: score");
    }
}

/// <summary>Which pairs a prompt's ranked replies yield.</summary>
public enum FeedbackPairing
{
    /// <summary>The best-scored reply against the worst.</summary>
    BestVsWorst,
    /// <summary>Every pair whose scores differ by more than min_margin.</summary>
    AllPairs,
}
