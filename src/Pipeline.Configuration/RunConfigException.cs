namespace Pipeline.Configuration;

/// <summary>
/// A config file that cannot be used. Carries every problem found, not just the first, in the order
/// they appear in the file, so one edit round fixes them all.
/// </summary>
public sealed class RunConfigException : Exception
{
    public RunConfigException(string sourceName, IReadOnlyList<ConfigError> errors)
        : base(BuildMessage(sourceName, errors))
    {
        SourceName = sourceName;
        Errors = errors;
    }

    /// <summary>The file path or name the errors refer to.</summary>
    public string SourceName { get; }

    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>Each error as the one line a person reads (<see cref="ConfigError.Format"/>).</summary>
    public IReadOnlyList<string> Lines => Errors.Select(e => e.Format(SourceName)).ToArray();

    private static string BuildMessage(string sourceName, IReadOnlyList<ConfigError> errors)
    {
        var count = errors.Count == 1 ? "1 error" : $"{errors.Count} errors";
        return $"{sourceName}: {count} in the config:" + Environment.NewLine
            + string.Join(Environment.NewLine, errors.Select(e => "  " + e.Format(sourceName)));
    }
}
