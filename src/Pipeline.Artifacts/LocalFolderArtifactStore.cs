using System.Runtime.CompilerServices;

namespace Pipeline.Artifacts;

/// <summary>
/// Artifacts as folders under a root: <c>{root}/{id}/{relative path}</c> and <c>{root}/{id}/manifest.json</c>.
/// The embedded wiring's default; a committed model folder is directly usable by tools that expect the
/// Hugging Face layout.
/// </summary>
public sealed class LocalFolderArtifactStore : ArtifactStoreBase
{
    public LocalFolderArtifactStore(string rootDirectory, TimeProvider? timeProvider = null) : base(timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(RootDirectory);
    }

    /// <summary>Absolute path of the root folder.</summary>
    public string RootDirectory { get; }

    public override string Location => $"local folder '{RootDirectory}'";

    /// <summary>The folder of an artifact on disk (it may not exist or be uncommitted).</summary>
    public string GetArtifactDirectory(string artifactId) => PathOf(ArtifactKey.ValidateId(artifactId));

    protected internal override async Task<byte[]?> ReadManifestBytesAsync(string artifactId, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllBytesAsync(ManifestPath(artifactId), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    protected internal override async Task<bool> TryCreateManifestAsync(string artifactId, byte[] manifestJson, CancellationToken ct)
    {
        var manifestPath = ManifestPath(artifactId);
        Directory.CreateDirectory(Path.GetDirectoryName(manifestPath)!);
        var temporary = $"{manifestPath}.{Guid.NewGuid():N}.tmp";
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(manifestJson, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
        }
        try
        {
            // Move without overwrite fails when the target exists (link-then-unlink on Unix), which is
            // the atomic create-if-absent that makes concurrent commits of one id safe.
            File.Move(temporary, manifestPath, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(manifestPath))
        {
            File.Delete(temporary);
            return false;
        }
    }

    protected internal override Task<Stream?> OpenFileForReadAsync(string artifactId, string relativePath, CancellationToken ct)
    {
        try
        {
            Stream stream = new FileStream(PathOf(artifactId, relativePath), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    protected internal override Task<Stream> OpenFileForWriteAsync(string artifactId, string relativePath, CancellationToken ct)
    {
        var path = PathOf(artifactId, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Stream stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        return Task.FromResult(stream);
    }

    protected internal override Task DeleteFileAsync(string artifactId, string relativePath, CancellationToken ct)
    {
        File.Delete(PathOf(artifactId, relativePath));
        return Task.CompletedTask;
    }

    protected override async IAsyncEnumerable<string> ListArtifactIdsAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        // Start the walk at the deepest folder the prefix names completely.
        var lastSlash = prefix.LastIndexOf('/');
        var start = lastSlash < 0 ? RootDirectory : PathOf(prefix[..lastSlash]);
        if (!Directory.Exists(start)) yield break;
        var options = new EnumerationOptions { RecurseSubdirectories = true, MatchType = MatchType.Simple, IgnoreInaccessible = true };
        foreach (var manifestPath in Directory.EnumerateFiles(start, ArtifactManifest.FileName, options))
        {
            ct.ThrowIfCancellationRequested();
            if (!string.Equals(Path.GetFileName(manifestPath), ArtifactManifest.FileName, StringComparison.Ordinal)) continue;
            var relative = Path.GetRelativePath(RootDirectory, Path.GetDirectoryName(manifestPath)!).Replace(Path.DirectorySeparatorChar, '/');
            if (ArtifactKey.IsValid(relative, ArtifactKey.MaxIdLength, out _)) yield return relative;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private string ManifestPath(string artifactId) => Path.Combine(PathOf(artifactId), ArtifactManifest.FileName);

    private string PathOf(string key, string? relativePath = null)
    {
        var combined = relativePath is null ? key : key + "/" + relativePath;
        var full = Path.GetFullPath(Path.Combine(RootDirectory, combined.Replace('/', Path.DirectorySeparatorChar)));
        // Keys are validated before they get here; this is the last line of defence against escaping the root.
        if (!full.StartsWith(RootDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidArtifactKeyException(combined, "storage path", $"it resolves to '{full}', outside '{RootDirectory}'");
        return full;
    }
}
