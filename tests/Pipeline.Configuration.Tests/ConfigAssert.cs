using Pipeline.Configuration;

namespace Pipeline.Configuration.Tests;

/// <summary>Helpers that parse YAML and return the errors as the lines a person would read.</summary>
internal static class ConfigAssert
{
    public const string Source = "quickstart.yaml";

    public static IReadOnlyList<string> Errors(string yaml)
    {
        var error = Assert.Throws<RunConfigException>(() => RunConfigLoader.Parse(yaml, Source));
        Assert.Equal(Source, error.SourceName);
        return error.Lines;
    }

    /// <summary>The single error line, failing when there are none or several.</summary>
    public static string Error(string yaml) => Assert.Single(Errors(yaml));

    /// <summary>Inputs that satisfy every stage's needs, so a test isolates the rule it is about.</summary>
    public const string AllInputs = """
        inputs:
          base_model: artifact:runs/base/model
          dataset: artifact:runs/data/dataset
          preferences: artifact:runs/data/preferences
          reward_model: artifact:runs/rm/model
        """;
}
