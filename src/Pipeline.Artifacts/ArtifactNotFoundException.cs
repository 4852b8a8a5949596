namespace Pipeline.Artifacts;

/// <summary>No committed artifact (no manifest.json) exists under the id.</summary>
public sealed class ArtifactNotFoundException(string artifactId, string storeLocation)
    : Exception($"Artifact '{artifactId}' does not exist in {storeLocation}: it has no committed manifest.json. " +
                "An artifact becomes visible only when its writer's CommitAsync completes; check the id and the store.")
{
    public string ArtifactId { get; } = artifactId;
}
