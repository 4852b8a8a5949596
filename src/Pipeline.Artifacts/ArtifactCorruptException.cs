namespace Pipeline.Artifacts;

/// <summary>Stored bytes do not match the artifact's manifest (size, SHA-256, missing file or unreadable manifest).</summary>
public sealed class ArtifactCorruptException(string artifactId, string relativePath, string problem)
    : Exception($"Artifact '{artifactId}' is corrupt: file '{relativePath}' {problem}. " +
                "The stored bytes no longer match manifest.json; re-create the artifact from its producer stage.")
{
    public string ArtifactId { get; } = artifactId;
    public string RelativePath { get; } = relativePath;
    public string Problem { get; } = problem;
}
