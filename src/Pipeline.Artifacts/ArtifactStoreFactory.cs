using Azure.Storage.Blobs;

namespace Pipeline.Artifacts;

/// <summary>Builds the artifact store a connection string names (see <see cref="StorageConnectionString"/> for the forms).</summary>
public static class ArtifactStoreFactory
{
    /// <summary>
    /// A plain path or <c>file://</c> URI gives a <see cref="LocalFolderArtifactStore"/>; an Azure Storage
    /// connection string gives a <see cref="BlobArtifactStore"/> on its <c>ContainerName=</c> container
    /// (default "artifacts"), created on first use if missing.
    /// </summary>
    public static IArtifactStore Create(string connectionString, BlobRetrySettings? retry = null, BlobArtifactStoreOptions? blobOptions = null) =>
        StorageConnectionString.Parse(connectionString) switch
        {
            StorageConnectionString.LocalFolder local => new LocalFolderArtifactStore(local.Path),
            StorageConnectionString.AzureBlob blob => new BlobArtifactStore(
                CreateContainerClient(blob.AzureConnectionString, blob.ContainerName ?? BlobContainerName.DefaultArtifacts, retry),
                blobOptions),
            var other => throw new InvalidOperationException($"Unhandled storage kind {other.GetType().Name}."),
        };

    /// <summary>A container client with the project's retry policy; the container name is validated here.</summary>
    public static BlobContainerClient CreateContainerClient(string azureConnectionString, string containerName, BlobRetrySettings? retry = null)
    {
        BlobContainerName.Validate(containerName);
        var options = (retry ?? new BlobRetrySettings()).CreateClientOptions();
        try
        {
            return new BlobServiceClient(azureConnectionString, options).GetBlobContainerClient(containerName);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new ArgumentException(
                $"The Azure Storage connection string '{StorageConnectionString.Redact(azureConnectionString)}' was refused by the Azure SDK: {e.Message}. {StorageConnectionString.AcceptedForms}",
                nameof(azureConnectionString), e);
        }
    }
}
