using System.Text;

namespace Pipeline.Artifacts;

/// <summary>Conveniences for small files (configs, data cards, reports); large files should be streamed.</summary>
public static class ArtifactStoreExtensions
{
    public static async Task<ArtifactFileEntry> WriteAllBytesAsync(this IArtifactWriter writer, string relativePath, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        var stream = await writer.OpenWriteAsync(relativePath, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
            await stream.WriteAsync(content, ct).ConfigureAwait(false);
        return ((HashingWriteStream)stream).Result!;
    }

    /// <summary>Opens <paramref name="relativePath"/>, lets <paramref name="write"/> stream into it, and closes it (which records its size and hash).</summary>
    public static async Task WriteFileAsync(this IArtifactWriter writer, string relativePath, Func<Stream, Task> write, CancellationToken ct = default)
    {
        var stream = await writer.OpenWriteAsync(relativePath, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
            await write(stream).ConfigureAwait(false);
    }

    /// <summary>Writes UTF-8 text without a byte order mark.</summary>
    public static Task<ArtifactFileEntry> WriteAllTextAsync(this IArtifactWriter writer, string relativePath, string text, CancellationToken ct = default) =>
        writer.WriteAllBytesAsync(relativePath, Encoding.UTF8.GetBytes(text), ct);

    /// <summary>Reads a whole file, verified against the manifest.</summary>
    /// <summary>
    /// Streams every file of a local folder (recursively, in ordinal order, '/' separators) into the artifact;
    /// a stray manifest.json in the folder (a downloaded artifact) is skipped, since the store writes its own.
    /// </summary>
    public static async Task AddFolderAsync(this IArtifactWriter writer, string folder, CancellationToken ct = default)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == ArtifactManifest.FileName) continue;
            await writer.AddFileAsync(relative, file, ct).ConfigureAwait(false);
        }
    }

    public static async Task<byte[]> ReadAllBytesAsync(this IArtifactStore store, string artifactId, string relativePath, CancellationToken ct = default)
    {
        var stream = await store.OpenReadAsync(artifactId, relativePath, ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    /// <summary>Copies one file of an artifact to a local path (its folder is created), verified as every read is.</summary>
    public static async Task CopyFileToAsync(this IArtifactStore store, string artifactId, string relativePath, string localPath, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(localPath))!);
        var source = await store.OpenReadAsync(artifactId, relativePath, ct).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var target = File.Create(localPath);
            await using (target.ConfigureAwait(false))
                await source.CopyToAsync(target, ct).ConfigureAwait(false);
        }
    }

    public static async Task<string> ReadAllTextAsync(this IArtifactStore store, string artifactId, string relativePath, CancellationToken ct = default) =>
        Encoding.UTF8.GetString(await store.ReadAllBytesAsync(artifactId, relativePath, ct).ConfigureAwait(false));
}
