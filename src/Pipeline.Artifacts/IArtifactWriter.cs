namespace Pipeline.Artifacts;

/// <summary>
/// Writes the files of one new artifact. Nothing is visible to readers until <see cref="CommitAsync"/>
/// writes manifest.json; disposing without committing removes what was written and leaves no manifest.
/// </summary>
public interface IArtifactWriter : IAsyncDisposable
{
    string ArtifactId { get; }

    /// <summary>
    /// Opens a streaming upload for one file; size and SHA-256 are computed as bytes pass through.
    /// Dispose the stream before committing. Each path can be written once.
    /// </summary>
    Task<Stream> OpenWriteAsync(string relativePath, CancellationToken ct = default);

    /// <summary>Streams an existing local file into the artifact under <paramref name="relativePath"/>.</summary>
    Task<ArtifactFileEntry> AddFileAsync(string relativePath, string localPath, CancellationToken ct = default);

    /// <summary>Writes manifest.json last, which makes the artifact exist, and returns it.</summary>
    Task<ArtifactManifest> CommitAsync(CancellationToken ct = default);
}
