using Pipeline.Configuration.Rules;
using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration;

/// <summary>
/// Existing artifacts a run starts from, by role: <c>artifact:&lt;id&gt;</c> for an artifact in the
/// store (<c>artifact:&lt;id&gt;#&lt;file&gt;</c> for one file of it), or a local path that the CLI uploads. A stage that needs a role takes it from the latest earlier stage that
/// produced it, else from here. All optional; the run checks that each enabled stage gets what it needs.
/// </summary>
public sealed record RunInputs : IValidatableSettings
{
    /// <summary>The pretrained model to fine-tune (HF layout: config.json, model.safetensors, tokenizer).</summary>
    public string? BaseModel { get; init; }

    /// <summary>An instruction-tuned model: skip sft and start reward modelling, PPO or DPO from it.</summary>
    public string? SftModel { get; init; }

    /// <summary>A trained reward model for PPO (or the synthesis judge) instead of the reward_model stage.</summary>
    public string? RewardModel { get; init; }

    /// <summary>An optimized policy to evaluate or compare against.</summary>
    public string? PolicyModel { get; init; }

    /// <summary>A prepared dataset (JSONL shards with a data card) instead of the ingest stage.</summary>
    public string? Dataset { get; init; }

    /// <summary>Prepared preference pairs (prompt, chosen, rejected) for the reward model or DPO.</summary>
    public string? Preferences { get; init; }

    /// <summary>The inputs that are set, keyed by role (<see cref="ArtifactRoles"/> spelling).</summary>
    public IReadOnlyDictionary<string, string> ByRole
    {
        get
        {
            var roles = new Dictionary<string, string>(StringComparer.Ordinal);
            void Add(string role, string? value) { if (value is not null) roles[role] = value; }
            Add(ArtifactRoles.BaseModel, BaseModel);
            Add(ArtifactRoles.SftModel, SftModel);
            Add(ArtifactRoles.RewardModel, RewardModel);
            Add(ArtifactRoles.PolicyModel, PolicyModel);
            Add(ArtifactRoles.Dataset, Dataset);
            Add(ArtifactRoles.Preferences, Preferences);
            return roles;
        }
    }

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        foreach (var (role, value) in ByRole)
        {
            if (context.IsValid(role) && InputReferenceSyntax.Check(value) is { } problem)
                context.Error(role, problem);
        }
    }
}
