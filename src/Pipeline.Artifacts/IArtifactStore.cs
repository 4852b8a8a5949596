namespace Pipeline.Artifacts;

/// <summary>
/// Immutable, verified artifacts (datasets, models, adapters, checkpoints, reports), each a folder of
/// files plus a manifest.json written last. An artifact without a manifest does not exist for readers.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Where the store keeps its data, for messages and logs (a folder path or a container URI).</summary>
    string Location { get; }

    /// <summary>
    /// Starts writing a new artifact. Throws <see cref="ArtifactAlreadyExistsException"/> when the id
    /// already has a manifest; the commit checks again atomically, so two concurrent writers cannot both win.
    /// </summary>
    Task<IArtifactWriter> CreateAsync(string artifactId, ArtifactInfo info, CancellationToken ct = default);

    /// <summary>The committed manifest, or null when there is none.</summary>
    Task<ArtifactManifest?> TryGetManifestAsync(string artifactId, CancellationToken ct = default);

    /// <summary>The committed manifest; throws <see cref="ArtifactNotFoundException"/> naming the id when there is none.</summary>
    Task<ArtifactManifest> GetManifestAsync(string artifactId, CancellationToken ct = default);

    /// <summary>True when the artifact is committed.</summary>
    Task<bool> ExistsAsync(string artifactId, CancellationToken ct = default);

    /// <summary>Committed artifacts whose id starts with <paramref name="prefix"/> (all when null), ordered by id.</summary>
    IAsyncEnumerable<ArtifactManifest> ListAsync(string? prefix = null, CancellationToken ct = default);

    /// <summary>
    /// Opens a file for reading through a <see cref="HashingReadStream"/>: reading it to the end throws
    /// <see cref="ArtifactCorruptException"/> if its size or SHA-256 differs from the manifest.
    /// A path not in the manifest throws <see cref="ArtifactFileNotFoundException"/>.
    /// </summary>
    Task<Stream> OpenReadAsync(string artifactId, string relativePath, CancellationToken ct = default);

    /// <summary>Copies every file (verified) and then manifest.json into <paramref name="localDirectory"/>.</summary>
    Task DownloadAsync(string artifactId, string localDirectory, CancellationToken ct = default);

    /// <summary>Reads every file and throws <see cref="ArtifactCorruptException"/> naming the first that does not match.</summary>
    Task VerifyAsync(string artifactId, CancellationToken ct = default);
}
