using System.Net;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Pipeline.Artifacts.State;

/// <summary>
/// One blob per key in a container, written with If-Match (replace) or If-None-Match: * (create),
/// so the storage service itself decides which of two concurrent writers wins; 409 and 412 become
/// <see cref="ConcurrencyConflictException"/>. The ETag is the blob's own.
/// </summary>
public sealed class BlobDocumentStore : IDocumentStore
{
    private readonly BlobContainerClient container;
    private readonly BlobContainerInitializer initializer;

    public BlobDocumentStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        this.container = container;
        initializer = new BlobContainerInitializer(container);
    }

    public BlobContainerClient Container => this.container;

    public async Task<StoredDocument?> GetAsync(string key, CancellationToken ct = default)
    {
        ArtifactKey.ValidateDocumentKey(key);
        await initializer.EnsureAsync(ct).ConfigureAwait(false);
        try
        {
            var response = await this.container.GetBlobClient(key).DownloadContentAsync(ct).ConfigureAwait(false);
            return new StoredDocument(response.Value.Content.ToString(), response.Value.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<string> PutAsync(string key, string json, string? expectedETag, CancellationToken ct = default)
    {
        DocumentJson.ValidatePut(key, json);
        await initializer.EnsureAsync(ct).ConfigureAwait(false);
        var conditions = expectedETag is null
            ? new BlobRequestConditions { IfNoneMatch = ETag.All }
            : new BlobRequestConditions { IfMatch = new ETag(expectedETag) };
        var options = new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } };
        try
        {
            var response = await this.container.GetBlobClient(key).UploadAsync(BinaryData.FromString(json), options, ct).ConfigureAwait(false);
            return response.Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            throw new ConcurrencyConflictException(key, expectedETag,
                expectedETag is null ? "it already exists" : "its ETag no longer matches (it changed or was deleted)");
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound && expectedETag is not null)
        {
            throw new ConcurrencyConflictException(key, expectedETag, "it does not exist (deleted since it was read?)");
        }
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var validPrefix = ArtifactKey.ValidatePrefix(prefix);
        await initializer.EnsureAsync(ct).ConfigureAwait(false);
        // Blob listing is already in ordinal (UTF-8 byte) order of names.
        await foreach (var blob in this.container.GetBlobsAsync(BlobTraits.None, BlobStates.None, validPrefix.Length == 0 ? null : validPrefix, ct).ConfigureAwait(false))
            yield return blob.Name;
    }

    public async Task DeleteAsync(string key, CancellationToken ct = default)
    {
        ArtifactKey.ValidateDocumentKey(key);
        await initializer.EnsureAsync(ct).ConfigureAwait(false);
        await this.container.GetBlobClient(key).DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false);
    }
}
