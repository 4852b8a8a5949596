using Pipeline.Contracts;

namespace Pipeline.Artifacts;

/// <summary>
/// The committed description of an artifact. Its presence is what makes an artifact exist: the store
/// writes it after every file, so a reader that finds it can trust that every listed file is complete.
/// </summary>
public sealed record ArtifactManifest
{
    /// <summary>The manifest's file name inside the artifact; reserved, producers cannot write a file with this name.</summary>
    public const string FileName = "manifest.json";

    public required string Id { get; init; }
    public required ArtifactKind Kind { get; init; }
    public required string ProducerStage { get; init; }
    public Guid? RunId { get; init; }
    public required string ConfigHash { get; init; }
    public required IReadOnlyList<string> Parents { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Every file, sorted by path (ordinal).</summary>
    public required IReadOnlyList<ArtifactFileEntry> Files { get; init; }

    /// <summary>Total size of all files in bytes.</summary>
    public long TotalSize => Files.Sum(f => f.Size);

    public ArtifactFileEntry? FindFile(string relativePath) =>
        Files.FirstOrDefault(f => string.Equals(f.Path, relativePath, StringComparison.Ordinal));
}
