using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration;

/// <summary>
/// The evaluate stage: generate for held-out prompts with the run's latest model (policy, else SFT,
/// else base), score the replies with the rule-based labeler and the reward model, and write a report
/// comparing against the models in <see cref="CompareTo"/>.
/// </summary>
public sealed record EvaluationSettings : StageSettings
{
    /// <summary>Held-out prompts to generate for, default 64: a stable mean in a minute on a CPU.</summary>
    [Range(1, 1_000_000)]
    public int MaxSamples { get; init; } = 64;

    /// <summary>Longest generated reply in tokens, default 64.</summary>
    [Range(1, 8192)]
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Sampling temperature, default 0 (greedy): comparisons between models are then deterministic.</summary>
    [Range(0, 2)]
    public double Temperature { get; init; }

    /// <summary>
    /// Earlier models to compare with, default [base_model, sft_model]. When left at the default, a
    /// role this run neither produces nor receives in inputs is skipped; a list written in the config
    /// must name models the run has.
    /// </summary>
    [DistinctItems]
    public IReadOnlyList<ModelRole> CompareTo { get; init; } = [ModelRole.BaseModel, ModelRole.SftModel];

    /// <summary>Draw loss, reward and KL curves into the report, default true.</summary>
    public bool Plots { get; init; } = true;
}

/// <summary>Models a run can compare; spelled like the artifact roles (base_model, sft_model, policy_model).</summary>
public enum ModelRole
{
    BaseModel,
    SftModel,
    PolicyModel,
}
