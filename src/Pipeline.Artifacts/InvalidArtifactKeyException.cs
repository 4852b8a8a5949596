namespace Pipeline.Artifacts;

/// <summary>An artifact id, relative path or document key broke the rules in <see cref="ArtifactKey"/>.</summary>
public sealed class InvalidArtifactKeyException(string? key, string what, string problem, string? artifactId = null)
    : ArgumentException($"The {what} '{ArtifactKey.Printable(key)}'{(artifactId is null ? "" : $" in artifact '{artifactId}'")} is not valid: {problem}. {ArtifactKey.AllowedDescription}")
{
    /// <summary>The rejected key, as given.</summary>
    public string? Key { get; } = key;

    /// <summary>What was wrong with it, in words.</summary>
    public string Problem { get; } = problem;
}
