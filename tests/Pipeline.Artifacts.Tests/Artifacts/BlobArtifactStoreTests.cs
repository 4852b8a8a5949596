using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Pipeline.Artifacts.Tests.Support;
using Pipeline.Contracts;

namespace Pipeline.Artifacts.Tests.Artifacts;

/// <summary>The contract against a real Azurite; each test class instance owns a fresh container.</summary>
public sealed class BlobArtifactStoreTests : ArtifactStoreContractTests
{
    private const int BlockSize = 1024 * 1024;
    private readonly BlobContainerClient container = AzuriteConnection.UniqueContainer();
    private readonly BlobArtifactStore store;

    public BlobArtifactStoreTests() =>
        this.store = new BlobArtifactStore(this.container, new BlobArtifactStoreOptions { UploadBlockSizeBytes = BlockSize, ReadBufferSizeBytes = 256 * 1024 }, new FixedTimeProvider());

    protected override IArtifactStore Store => this.store;

    private BlobClient Raw(string artifactId, string relativePath) => this.container.GetBlobClient(BlobArtifactStore.BlobName(artifactId, relativePath));

    protected override async Task<byte[]?> ReadRawAsync(string artifactId, string relativePath)
    {
        var blob = Raw(artifactId, relativePath);
        return await blob.ExistsAsync() ? (await blob.DownloadContentAsync()).Value.Content.ToArray() : null;
    }

    protected override async Task WriteRawAsync(string artifactId, string relativePath, byte[] content) =>
        await Raw(artifactId, relativePath).UploadAsync(BinaryData.FromBytes(content), overwrite: true);

    protected override async Task DeleteRawAsync(string artifactId, string relativePath) =>
        await Raw(artifactId, relativePath).DeleteAsync();

    protected override async Task AssertStoredInPiecesAsync(string artifactId, string relativePath, long size)
    {
        // The streaming upload stages one block per filled buffer and commits the list on close, so
        // the blob is made of many blocks no larger than the buffer; a buffered single upload would be one.
        var blocks = (await this.container.GetBlockBlobClient(BlobArtifactStore.BlobName(artifactId, relativePath))
            .GetBlockListAsync(BlockListTypes.Committed)).Value.CommittedBlocks.ToList();
        Assert.Equal((int)Math.Ceiling(size / (double)BlockSize), blocks.Count);
        Assert.All(blocks, block => Assert.True(block.SizeLong <= BlockSize, $"block of {block.SizeLong} bytes exceeds {BlockSize}"));
        Assert.Equal(size, blocks.Sum(b => b.SizeLong));
    }

    [Fact]
    public async Task Factory_connection_string_with_container_name_creates_the_container()
    {
        var name = AzuriteConnection.UniqueContainerName();
        var store = ArtifactStoreFactory.Create(AzuriteConnection.Require().TrimEnd(';') + $";ContainerName={name};");
        var blobStore = Assert.IsType<BlobArtifactStore>(store);
        try
        {
            Assert.Equal(name, blobStore.Container.Name);
            await using (var writer = await store.CreateAsync("runs/r1/eval/report", DatasetInfo with { Kind = ArtifactKind.Report }))
            {
                await writer.WriteAllTextAsync("report.md", "# ok");
                await writer.CommitAsync();
            }
            Assert.True((await blobStore.Container.ExistsAsync()).Value);
            Assert.Equal("# ok", await store.ReadAllTextAsync("runs/r1/eval/report", "report.md"));
        }
        finally
        {
            await AzuriteConnection.DeleteQuietlyAsync(blobStore.Container);
        }
    }

    public override ValueTask DisposeAsync() => AzuriteConnection.DeleteQuietlyAsync(this.container);
}
