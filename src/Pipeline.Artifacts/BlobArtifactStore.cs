using System.Net;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Pipeline.Artifacts;

/// <summary>
/// Artifacts in an Azure Blob container (Azurite locally): blobs named <c>{id}/{relative path}</c>
/// plus <c>{id}/manifest.json</c>. Files stream up as blocks of <see cref="BlobArtifactStoreOptions.UploadBlockSizeBytes"/>
/// and down as ranged reads, so no file is ever held whole in memory. The manifest is created with
/// If-None-Match: * so that exactly one commit of an id can succeed.
/// </summary>
public sealed class BlobArtifactStore : ArtifactStoreBase
{
    private readonly BlobContainerClient container;
    private readonly BlobArtifactStoreOptions options;
    private readonly BlobContainerInitializer initializer;

    public BlobArtifactStore(BlobContainerClient container, BlobArtifactStoreOptions? options = null, TimeProvider? timeProvider = null)
        : base(timeProvider)
    {
        ArgumentNullException.ThrowIfNull(container);
        this.container = container;
        this.options = options ?? new BlobArtifactStoreOptions();
        this.options.Validate();
        initializer = new BlobContainerInitializer(container);
    }

    public BlobContainerClient Container => this.container;

    public override string Location => $"blob container '{this.container.Name}' at {this.container.Uri}";

    /// <summary>The blob name of a file of an artifact (no validation beyond what the store does).</summary>
    public static string BlobName(string artifactId, string relativePath) => artifactId + "/" + relativePath;

    protected internal override async Task<byte[]?> ReadManifestBytesAsync(string artifactId, CancellationToken ct)
    {
        await initializer.EnsureAsync(ct).ConfigureAwait(false);
        try
        {
            var response = await this.container.GetBlobClient(BlobName(artifactId, ArtifactManifest.FileName))
                .DownloadContentAsync(ct).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    protected internal override async Task<bool> TryCreateManifestAsync(string artifactId, byte[] manifestJson, CancellationToken ct)
    {
        await initializer.EnsureAsync(ct).ConfigureAwait(false);
        var options = new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
        };
        try
        {
            await this.container.GetBlobClient(BlobName(artifactId, ArtifactManifest.FileName))
                .UploadAsync(BinaryData.FromBytes(manifestJson), options, ct).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    protected internal override async Task<Stream?> OpenFileForReadAsync(string artifactId, string relativePath, CancellationToken ct)
    {
        await initializer.EnsureAsync(ct).ConfigureAwait(false);
        // allowModifications: false pins the ETag, so a blob replaced mid-read fails instead of mixing versions.
        var options = new BlobOpenReadOptions(allowModifications: false) { BufferSize = this.options.ReadBufferSizeBytes };
        try
        {
            return await this.container.GetBlobClient(BlobName(artifactId, relativePath)).OpenReadAsync(options, ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    protected internal override async Task<Stream> OpenFileForWriteAsync(string artifactId, string relativePath, CancellationToken ct)
    {
        await initializer.EnsureAsync(ct).ConfigureAwait(false);
        var options = new BlockBlobOpenWriteOptions
        {
            BufferSize = this.options.UploadBlockSizeBytes,
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
        };
        return await this.container.GetBlockBlobClient(BlobName(artifactId, relativePath))
            .OpenWriteAsync(overwrite: true, options, ct).ConfigureAwait(false);
    }

    protected internal override async Task DeleteFileAsync(string artifactId, string relativePath, CancellationToken ct) =>
        await this.container.GetBlobClient(BlobName(artifactId, relativePath)).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);

    protected override async IAsyncEnumerable<string> ListArtifactIdsAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        await initializer.EnsureAsync(ct).ConfigureAwait(false);
        const string suffix = "/" + ArtifactManifest.FileName;
        await foreach (var blob in this.container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix.Length == 0 ? null : prefix, ct).ConfigureAwait(false))
        {
            if (!blob.Name.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var id = blob.Name[..^suffix.Length];
            if (ArtifactKey.IsValid(id, ArtifactKey.MaxIdLength, out _)) yield return id;
        }
    }
}
