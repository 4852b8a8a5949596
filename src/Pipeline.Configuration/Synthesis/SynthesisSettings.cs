using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration;

/// <summary>
/// The synthesize stage: Self-Instruct. New instructions are generated from a few in-context seed
/// examples, near-copies of known instructions are filtered out by ROUGE-L, several responses are
/// sampled per instruction and a judge ranks them (the best becomes an SFT example; best and worst a
/// preference pair).
/// </summary>
public sealed record SynthesisSettings : StageSettings
{
    /// <summary>
    /// In-context examples per generation prompt, default 8 as in Self-Instruct (a few examples set the
    /// style; many crowd out the prompt).
    /// </summary>
    [Range(1, 64)]
    public int SeedExamples { get; init; } = 8;

    /// <summary>How many new instructions to keep after filtering, default 100 (a quick, visible addition).</summary>
    [Range(1, 1_000_000)]
    public int NewInstructions { get; init; } = 100;

    /// <summary>
    /// Responses sampled per instruction, default 4: enough spread for the judge to find a clearly
    /// better and a clearly worse one. 1 yields SFT data only, no preference pairs.
    /// </summary>
    [Range(1, 64)]
    public int SamplesPerPrompt { get; init; } = 4;

    /// <summary>Sampling temperature, default 0.9: diverse instructions without drifting into noise.</summary>
    [Range(0, 2, MinimumIsExclusive = true)]
    public double Temperature { get; init; } = 0.9;

    /// <summary>Nucleus sampling mass, default 0.95: cuts the long tail of unlikely tokens.</summary>
    [Range(0, 1, MinimumIsExclusive = true)]
    public double TopP { get; init; } = 0.95;

    /// <summary>Longest generated instruction or response in tokens, default 128.</summary>
    [Range(1, 8192)]
    public int MaxNewTokens { get; init; } = 128;

    /// <summary>
    /// A new instruction whose ROUGE-L F-score against any known one reaches this is a near-copy and is
    /// dropped, default 0.7 as in Self-Instruct.
    /// </summary>
    [Range(0, 1)]
    public double MaxRougeLSimilarity { get; init; } = 0.7;

    /// <summary>
    /// Who ranks the sampled responses. Default rules: the documented rule-based labeler, which needs no
    /// model. reward_model needs a trained reward model in <c>inputs.reward_model</c> (the reward_model
    /// stage runs after synthesis).
    /// </summary>
    public SynthesisJudge Judge { get; init; } = SynthesisJudge.Rules;
}

/// <summary>How synthesized responses are ranked.</summary>
public enum SynthesisJudge
{
    /// <summary>The rule-based labeler (the simulated human rater).</summary>
    Rules,
    /// <summary>A trained reward model's score (AI feedback).</summary>
    RewardModel,
}
