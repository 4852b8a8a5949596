namespace Pipeline.Artifacts.State;

/// <summary>Builds the document store a connection string names; same forms as <see cref="ArtifactStoreFactory"/>.</summary>
public static class DocumentStoreFactory
{
    /// <summary>
    /// A folder path or <c>file://</c> URI gives a <see cref="LocalFolderDocumentStore"/> in the subfolder
    /// <paramref name="containerName"/>; an Azure Storage connection string gives a <see cref="BlobDocumentStore"/>
    /// on the container <paramref name="containerName"/> (which takes precedence over a <c>ContainerName=</c>
    /// segment, so one connection string can serve artifacts and state), created on first use.
    /// </summary>
    public static IDocumentStore Create(string connectionString, string containerName, BlobRetrySettings? retry = null)
    {
        BlobContainerName.Validate(containerName);
        return StorageConnectionString.Parse(connectionString) switch
        {
            StorageConnectionString.LocalFolder local => new LocalFolderDocumentStore(Path.Combine(local.Path, containerName)),
            StorageConnectionString.AzureBlob blob => new BlobDocumentStore(
                ArtifactStoreFactory.CreateContainerClient(blob.AzureConnectionString, containerName, retry)),
            var other => throw new InvalidOperationException($"Unhandled storage kind {other.GetType().Name}."),
        };
    }
}
