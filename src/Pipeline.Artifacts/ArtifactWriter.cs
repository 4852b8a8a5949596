namespace Pipeline.Artifacts;

/// <summary>
/// Collects the entries of the files written through it and commits them as manifest.json.
/// Thread-safe, so a producer may upload several files in parallel.
/// </summary>
internal sealed class ArtifactWriter(ArtifactStoreBase store, string artifactId, ArtifactInfo info) : IArtifactWriter
{
    private enum State { Open, Committed, Abandoned }

    private readonly object gate = new();
    private readonly Dictionary<string, ArtifactFileEntry?> files = new(StringComparer.Ordinal); // null while open
    private readonly List<string> failed = [];
    private State state = State.Open;

    public string ArtifactId { get; } = artifactId;

    public async Task<Stream> OpenWriteAsync(string relativePath, CancellationToken ct = default)
    {
        ArtifactKey.ValidateRelativePath(relativePath, ArtifactId);
        Reserve(relativePath);
        try
        {
            var inner = await store.OpenFileForWriteAsync(ArtifactId, relativePath, ct).ConfigureAwait(false);
            return new HashingWriteStream(inner, relativePath, entry => Closed(relativePath, entry));
        }
        catch
        {
            lock (gate) this.files.Remove(relativePath);
            throw;
        }
    }

    public async Task<ArtifactFileEntry> AddFileAsync(string relativePath, string localPath, CancellationToken ct = default)
    {
        if (!File.Exists(localPath))
            throw new FileNotFoundException($"Cannot add '{localPath}' to artifact '{ArtifactId}' as '{relativePath}': the local file does not exist.", localPath);
        var stream = (HashingWriteStream)await OpenWriteAsync(relativePath, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            await using (source.ConfigureAwait(false))
                await source.CopyToAsync(stream, ct).ConfigureAwait(false);
        }
        return stream.Result!;
    }

    public async Task<ArtifactManifest> CommitAsync(CancellationToken ct = default)
    {
        ArtifactFileEntry[] entries;
        lock (gate)
        {
            ThrowIfNotOpen();
            var open = this.files.Where(f => f.Value is null).Select(f => f.Key).ToList();
            if (open.Count > 0)
                throw new InvalidOperationException($"Cannot commit artifact '{ArtifactId}': file(s) {string.Join(", ", open)} are still open; dispose their streams first.");
            if (this.failed.Count > 0)
                throw new InvalidOperationException($"Cannot commit artifact '{ArtifactId}': the upload of {string.Join(", ", this.failed)} failed; dispose this writer and create the artifact again.");
            entries = [.. this.files.Values.Select(e => e!).OrderBy(e => e.Path, StringComparer.Ordinal)];
        }

        var manifest = new ArtifactManifest
        {
            Id = ArtifactId,
            Kind = info.Kind,
            ProducerStage = info.ProducerStage,
            RunId = info.RunId,
            ConfigHash = info.ConfigHash,
            Parents = [.. info.Parents],
            CreatedAt = store.TimeProvider.GetUtcNow(),
            Files = entries,
        };
        if (!await store.TryCreateManifestAsync(ArtifactId, ManifestJson.Serialize(manifest), ct).ConfigureAwait(false))
        {
            // Another writer committed the same id first; its files may share our paths, so ours are not deleted.
            lock (gate) state = State.Committed;
            throw new ArtifactAlreadyExistsException(ArtifactId, store.Location);
        }
        lock (gate) state = State.Committed;
        return manifest;
    }

    public async ValueTask DisposeAsync()
    {
        string[] written;
        lock (gate)
        {
            if (state != State.Open) return;
            state = State.Abandoned;
            written = [.. this.files.Keys, .. this.failed];
        }
        // Best effort: an abandoned artifact has no manifest, so leftovers are invisible anyway.
        foreach (var path in written)
        {
            try { await store.DeleteFileAsync(ArtifactId, path, CancellationToken.None).ConfigureAwait(false); }
            catch (Exception) { /* invisible without a manifest; the next writer overwrites it */ }
        }
    }

    private void Reserve(string relativePath)
    {
        lock (gate)
        {
            ThrowIfNotOpen();
            if (this.files.ContainsKey(relativePath))
                throw new InvalidOperationException($"Artifact '{ArtifactId}' already has a file '{relativePath}'; each path is written once.");
            // A path cannot be both a file and a folder on disk ("a" and "a/b").
            foreach (var existing in this.files.Keys)
            {
                if (relativePath.StartsWith(existing + "/", StringComparison.Ordinal) || existing.StartsWith(relativePath + "/", StringComparison.Ordinal))
                    throw new InvalidOperationException($"Artifact '{ArtifactId}': '{relativePath}' and '{existing}' would make one path both a file and a folder.");
            }
            this.files[relativePath] = null;
        }
    }

    private void Closed(string relativePath, ArtifactFileEntry? entry)
    {
        lock (gate)
        {
            if (entry is null)
            {
                this.files.Remove(relativePath);
                this.failed.Add(relativePath);
            }
            else
            {
                this.files[relativePath] = entry;
            }
        }
    }

    private void ThrowIfNotOpen()
    {
        if (state == State.Committed) throw new InvalidOperationException($"Artifact '{ArtifactId}' is already committed; artifacts are immutable.");
        if (state == State.Abandoned) throw new ObjectDisposedException(nameof(IArtifactWriter), $"The writer of artifact '{ArtifactId}' was disposed without committing.");
    }
}
