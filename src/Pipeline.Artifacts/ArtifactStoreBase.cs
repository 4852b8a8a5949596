using System.Runtime.CompilerServices;

namespace Pipeline.Artifacts;

/// <summary>
/// The behaviour both backends share (immutability, manifest-last commit, verified reads, listing);
/// a backend supplies only raw byte access. Keeping the rules here means the local folder used in
/// embedded runs and the blob container used in distributed runs cannot drift apart.
/// </summary>
public abstract class ArtifactStoreBase : IArtifactStore
{
    protected ArtifactStoreBase(TimeProvider? timeProvider) => TimeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Source of manifest timestamps (injectable for tests).</summary>
    public TimeProvider TimeProvider { get; }

    public abstract string Location { get; }

    /// <summary>manifest.json's bytes, or null when the artifact has no manifest.</summary>
    protected internal abstract Task<byte[]?> ReadManifestBytesAsync(string artifactId, CancellationToken ct);

    /// <summary>Stores manifest.json only if absent, atomically; false when a manifest already exists.</summary>
    protected internal abstract Task<bool> TryCreateManifestAsync(string artifactId, byte[] manifestJson, CancellationToken ct);

    /// <summary>The raw stored file, or null when it is missing.</summary>
    protected internal abstract Task<Stream?> OpenFileForReadAsync(string artifactId, string relativePath, CancellationToken ct);

    /// <summary>A streaming upload that replaces any leftover of an earlier abandoned attempt.</summary>
    protected internal abstract Task<Stream> OpenFileForWriteAsync(string artifactId, string relativePath, CancellationToken ct);

    /// <summary>Removes a file written by an abandoned writer; missing files are fine.</summary>
    protected internal abstract Task DeleteFileAsync(string artifactId, string relativePath, CancellationToken ct);

    /// <summary>Ids (any order) of every artifact with a manifest whose id starts with the prefix.</summary>
    protected abstract IAsyncEnumerable<string> ListArtifactIdsAsync(string prefix, CancellationToken ct);

    public async Task<IArtifactWriter> CreateAsync(string artifactId, ArtifactInfo info, CancellationToken ct = default)
    {
        ArtifactKey.ValidateId(artifactId);
        ArgumentNullException.ThrowIfNull(info);
        info.Validate(artifactId);
        if (await ReadManifestBytesAsync(artifactId, ct).ConfigureAwait(false) is not null)
            throw new ArtifactAlreadyExistsException(artifactId, Location);
        return new ArtifactWriter(this, artifactId, info);
    }

    public async Task<ArtifactManifest?> TryGetManifestAsync(string artifactId, CancellationToken ct = default)
    {
        ArtifactKey.ValidateId(artifactId);
        var bytes = await ReadManifestBytesAsync(artifactId, ct).ConfigureAwait(false);
        return bytes is null ? null : ManifestJson.Deserialize(artifactId, bytes);
    }

    public async Task<ArtifactManifest> GetManifestAsync(string artifactId, CancellationToken ct = default) =>
        await TryGetManifestAsync(artifactId, ct).ConfigureAwait(false) ?? throw new ArtifactNotFoundException(artifactId, Location);

    public async Task<bool> ExistsAsync(string artifactId, CancellationToken ct = default)
    {
        ArtifactKey.ValidateId(artifactId);
        return await ReadManifestBytesAsync(artifactId, ct).ConfigureAwait(false) is not null;
    }

    public async IAsyncEnumerable<ArtifactManifest> ListAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var validPrefix = ArtifactKey.ValidatePrefix(prefix);
        // Ids are collected and sorted so both backends list in the same order (blob listing orders
        // by full blob name, a folder walk by nothing at all); ids are small even for thousands of artifacts.
        var ids = new List<string>();
        await foreach (var id in ListArtifactIdsAsync(validPrefix, ct).ConfigureAwait(false))
            if (id.StartsWith(validPrefix, StringComparison.Ordinal)) ids.Add(id);
        ids.Sort(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var manifest = await TryGetManifestAsync(id, ct).ConfigureAwait(false);
            if (manifest is not null) yield return manifest;
        }
    }

    public async Task<Stream> OpenReadAsync(string artifactId, string relativePath, CancellationToken ct = default)
    {
        ArtifactKey.ValidateId(artifactId);
        ArtifactKey.ValidateRelativePath(relativePath, artifactId);
        var manifest = await GetManifestAsync(artifactId, ct).ConfigureAwait(false);
        var entry = manifest.FindFile(relativePath)
            ?? throw new ArtifactFileNotFoundException(artifactId, relativePath, [.. manifest.Files.Select(f => f.Path)]);
        return await OpenVerifiedAsync(manifest, entry, ct).ConfigureAwait(false);
    }

    public async Task DownloadAsync(string artifactId, string localDirectory, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localDirectory);
        var manifest = await GetManifestAsync(artifactId, ct).ConfigureAwait(false);
        var root = Path.GetFullPath(localDirectory);
        Directory.CreateDirectory(root);
        foreach (var entry in manifest.Files)
        {
            var target = Path.Combine(root, entry.Path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // Download beside the target and rename only after verification, so a corrupt or
            // interrupted download never leaves a plausible-looking file behind.
            var partial = target + ".partial";
            try
            {
                {
                    var source = await OpenVerifiedAsync(manifest, entry, ct).ConfigureAwait(false);
                    await using (source.ConfigureAwait(false))
                    {
                        var destination = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                        await using (destination.ConfigureAwait(false))
                            await source.CopyToAsync(destination, ct).ConfigureAwait(false);
                    }
                }
                File.Move(partial, target, overwrite: true);
            }
            catch
            {
                File.Delete(partial);
                throw;
            }
        }
        await File.WriteAllBytesAsync(Path.Combine(root, ArtifactManifest.FileName), ManifestJson.Serialize(manifest), ct).ConfigureAwait(false);
    }

    public async Task VerifyAsync(string artifactId, CancellationToken ct = default)
    {
        var manifest = await GetManifestAsync(artifactId, ct).ConfigureAwait(false);
        foreach (var entry in manifest.Files)
        {
            var stream = await OpenVerifiedAsync(manifest, entry, ct).ConfigureAwait(false);
            await using var streamScope = stream.ConfigureAwait(false);
            await stream.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
        }
    }

    private async Task<Stream> OpenVerifiedAsync(ArtifactManifest manifest, ArtifactFileEntry entry, CancellationToken ct)
    {
        var raw = await OpenFileForReadAsync(manifest.Id, entry.Path, ct).ConfigureAwait(false)
            ?? throw new ArtifactCorruptException(manifest.Id, entry.Path, $"is listed in the manifest ({entry.Size} bytes) but missing from {Location}");
        return new HashingReadStream(raw, manifest.Id, entry);
    }
}
