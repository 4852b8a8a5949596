namespace Pipeline.Artifacts;

/// <summary>An artifact with this id was already committed; artifacts are immutable.</summary>
public sealed class ArtifactAlreadyExistsException(string artifactId, string storeLocation)
    : Exception($"Artifact '{artifactId}' already exists in {storeLocation} and artifacts are immutable: " +
                "write the new content under a new id (for example with a new run id or version segment).")
{
    public string ArtifactId { get; } = artifactId;
}
