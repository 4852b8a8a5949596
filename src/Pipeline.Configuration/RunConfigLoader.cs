using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration;

/// <summary>
/// Reads and validates a run config. Everything is checked before a run starts: unknown keys (with a
/// suggestion), types, ranges, cross-key rules and whether each stage gets the artifacts it needs; all
/// problems are reported together in one <see cref="RunConfigException"/>.
/// </summary>
public static class RunConfigLoader
{
    private static readonly string EmptyMessage =
        $"the run config is empty; it needs a 'stages' mapping with at least one of {string.Join(", ", StageNames.InOrder)}";

    /// <summary>Reads the YAML file at <paramref name="path"/>; errors name the path as given.</summary>
    public static RunConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Run config '{path}' not found (looked at {Path.GetFullPath(path)}).", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads YAML text; <paramref name="sourceName"/> is the name errors refer to.</summary>
    public static RunConfig Parse(string yaml, string sourceName = "run.yaml")
    {
        var config = YamlConfigReader.Read<RunConfig>(yaml, sourceName, EmptyMessage);
        return config with { Stages = config.Stages.WithDefaultSeed(config.Seed) };
    }
}
