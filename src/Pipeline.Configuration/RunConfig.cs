using Pipeline.Configuration.Json;
using Pipeline.Configuration.Rules;
using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration;

/// <summary>
/// One run of the pipeline, as described by its YAML file: which stages run, with which settings, from
/// which existing artifacts. Load it with <see cref="RunConfigLoader"/>, which validates everything first.
/// </summary>
public sealed record RunConfig : IValidatableSettings
{
    /// <summary>
    /// A short name for people and for artifact folders, default "run". Lower-case letters, digits,
    /// '-' and '_', so it is safe in paths, blob keys and metric labels.
    /// </summary>
    [Pattern("^[a-z0-9][a-z0-9_-]{0,62}$", "1 to 63 lower-case letters, digits, '-' and '_', starting with a letter or digit")]
    public string Name { get; init; } = "run";

    /// <summary>
    /// The run's seed, default 42; every stage without its own seed uses it, so one number makes the run
    /// reproducible.
    /// </summary>
    [Range(0, double.PositiveInfinity)]
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Folder where an embedded run (<c>pipeline run</c>) keeps its artifacts, default "artifacts"
    /// (relative to the working directory). Distributed runs use the configured blob store instead.
    /// </summary>
    [Pattern(@"\S", "a folder path")]
    public string Artifacts { get; init; } = "artifacts";

    /// <summary>Existing artifacts to start from, by role; default none.</summary>
    public RunInputs Inputs { get; init; } = new();

    /// <summary>The stages to run and their settings. Required: a run with no stage does nothing.</summary>
    [Required(Hint = "add a 'stages' mapping with at least one of pretrain, ingest, synthesize, sft, feedback, reward_model, ppo, grpo, dpo, evaluate")]
    public RunStages Stages { get; init; } = new();

    /// <summary>The stages that run, in pipeline order (<see cref="StageNames.InOrder"/>).</summary>
    public IReadOnlyList<string> EnabledStages => Stages.Enabled;

    /// <summary>
    /// SHA-256 (lower-case hex) of the canonical JSON of this config: the same settings give the same
    /// hash whatever the key order, comments or spelling of defaults in the YAML.
    /// </summary>
    public string ConfigHash => ConfigJson.Hash(this);

    /// <summary>
    /// The whole config as compact JSON with every key, defaults included, in declaration order: what
    /// <see cref="ConfigHash"/> hashes. Diff two of these to see why two hashes differ.
    /// </summary>
    public string ToCanonicalJson() => ConfigJson.Canonical(this);

    /// <summary>The settings of <paramref name="stage"/>, or null when it does not run.</summary>
    public StageSettings? Stage(string stage) => Stages.Get(stage);

    /// <summary>
    /// The stage's section as snake_case JSON, for <see cref="IStageCommand.SettingsJson"/>; read it back
    /// with <see cref="StageSettingsJson.Deserialize{T}"/>. Fails when the stage does not run.
    /// </summary>
    public string ToJson(string stage)
    {
        var settings = Stages.Get(stage)
            ?? throw new InvalidOperationException($"Stage '{stage}' does not run in '{Name}'; its stages are {string.Join(", ", EnabledStages)}.");
        return StageSettingsJson.Serialize(settings.Seed is null ? settings with { Seed = Seed } : settings);
    }

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        // A misspelt stage or input would make the dependency rules reason about the wrong set of artifacts.
        if (!context.IsWellFormed("stages") || !context.IsWellFormed("inputs")) return;
        if (context.IsSet("stages") && Stages.Enabled.Count == 0)
        {
            context.Error("stages", $"no stage to run; add at least one of {string.Join(", ", StageNames.InOrder)}");
            return;
        }
        StageDependencyRules.Check(this, context);
    }
}
