namespace Pipeline.Artifacts;

/// <summary>One file of an artifact as recorded in manifest.json: path relative to the artifact, size in bytes, lowercase hex SHA-256.</summary>
public sealed record ArtifactFileEntry(string Path, long Size, string Sha256);
