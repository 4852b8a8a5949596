using Pipeline.Configuration;
using Pipeline.Contracts;

namespace Pipeline.Orchestration.Runs;

/// <summary>A validated run config reduced to what the run manager needs.</summary>
public sealed record RunPlan(
    string Name,
    IReadOnlyList<string> Stages,
    IReadOnlyDictionary<string, string> SettingsJson,
    IReadOnlyDictionary<string, ArtifactRef> Inputs,
    string ConfigHash);

public sealed class RunPlanException(string message) : Exception(message);

/// <summary>Turns run config YAML into a <see cref="RunPlan"/>, or a <see cref="RunPlanException"/> that says what is wrong.</summary>
public static class RunPlanner
{
    /// <summary>The prefix of an input that names an artifact in the store rather than a local path.</summary>
    public const string ArtifactScheme = InputReference.Scheme;

    public static RunPlan Plan(string yaml, string sourceName)
    {
        RunConfig config;
        try
        {
            config = RunConfigLoader.Parse(yaml, sourceName);
        }
        catch (RunConfigException ex)
        {
            throw new RunPlanException(ex.Message);
        }
        var stages = config.EnabledStages;
        var inputs = new Dictionary<string, ArtifactRef>();
        foreach (var (role, value) in config.Inputs.ByRole)
        {
            if (!value.StartsWith(ArtifactScheme, StringComparison.Ordinal))
                throw new RunPlanException(
                    $"{sourceName}: inputs.{role}: '{value}' is a local path, but a run reads its inputs from the artifact store. " +
                    $"Use `pipeline run` or `pipeline submit`, which upload local inputs, or give '{ArtifactScheme}<artifact id>'.");
            inputs[role] = new ArtifactRef(Runs.InputReference.Parse(value).ArtifactId, KindOfRole(role));
        }
        return new RunPlan(config.Name, stages, stages.ToDictionary(s => s, config.ToJson), inputs, config.ConfigHash);
    }

    private static ArtifactKind KindOfRole(string role) => role switch
    {
        ArtifactRoles.Dataset or ArtifactRoles.Preferences => ArtifactKind.Dataset,
        ArtifactRoles.Report => ArtifactKind.Report,
        _ => ArtifactKind.Model,
    };
}
