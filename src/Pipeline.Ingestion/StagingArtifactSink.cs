using Pipeline.Artifacts;
using Pipeline.Contracts;
using Pipeline.Data.Sinks;

namespace Pipeline.Ingestion;

/// <summary>
/// Where ingestion writes while it runs: each file (a shard, the data card) is written to local scratch and,
/// when closed, uploaded as its own small staging artifact. A closed shard therefore survives the replica,
/// and the checkpoint only has to remember which staging artifact holds which file.
/// </summary>
internal sealed class StagingArtifactSink(IArtifactStore store, string stagingPrefix, string scratchDirectory, Guid runId) : IDatasetSink
{
    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal);

    /// <summary>File path → staging artifact id, for the files closed so far (including those of earlier slices).</summary>
    public IReadOnlyDictionary<string, string> Files => this.files;

    public void Restore(IReadOnlyDictionary<string, string> files)
    {
        foreach (var (path, id) in files) this.files[path] = id;
    }

    public Task<Stream> OpenWriteAsync(string relativePath, CancellationToken ct)
    {
        ArtifactKey.ValidateRelativePath(relativePath);
        var local = Path.Combine(scratchDirectory, "staging", relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        return Task.FromResult<Stream>(new UploadOnCloseStream(local, async () =>
        {
            // A fresh id per upload: a shard rewritten after a crash never collides with a half-finished one.
            var id = $"{stagingPrefix}/{Guid.NewGuid():N}";
            var writer = await store.CreateAsync(id, new ArtifactInfo
            {
                Kind = ArtifactKind.Dataset, ProducerStage = "ingest", RunId = runId,
            }, ct).ConfigureAwait(false);
            await using var writerScope = writer.ConfigureAwait(false);
            await writer.AddFileAsync(relativePath, local, ct).ConfigureAwait(false);
            await writer.CommitAsync(ct).ConfigureAwait(false);
            File.Delete(local);
            lock (this.files) this.files[relativePath] = id;
        }));
    }

    /// <summary>A local file stream that runs an upload once it is closed.</summary>
    private sealed class UploadOnCloseStream(string path, Func<Task> onClosed)
        : FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous)
    {
        private bool closed;

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync().ConfigureAwait(false);
            if (this.closed) return;
            this.closed = true;
            await onClosed().ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (!disposing || this.closed) return;
            this.closed = true;
            onClosed().GetAwaiter().GetResult();
        }
    }
}
