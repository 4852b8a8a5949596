using Azure.Storage.Blobs;
using Pipeline.Artifacts.State;
using Pipeline.Artifacts.Tests.Support;

namespace Pipeline.Artifacts.Tests.State;

public sealed class InMemoryDocumentStoreTests : DocumentStoreContractTests
{
    protected override IDocumentStore Store { get; } = new InMemoryDocumentStore();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public sealed class LocalFolderDocumentStoreTests : DocumentStoreContractTests
{
    private readonly TempFolder root = new();

    public LocalFolderDocumentStoreTests() => Store = new LocalFolderDocumentStore(root.Path);

    protected override IDocumentStore Store { get; }

    [Fact]
    public async Task Documents_survive_a_restart_as_json_files_with_no_temp_leftovers()
    {
        var etag = await Store.PutAsync("runs/r1/saga", "{\"stage\":\"sft\"}", null);

        var restarted = new LocalFolderDocumentStore(root.Path);
        Assert.Equal(new StoredDocument("{\"stage\":\"sft\"}", etag), await restarted.GetAsync("runs/r1/saga"));
        await restarted.PutAsync("runs/r1/saga", "{\"stage\":\"ppo\"}", etag);
        Assert.Equal("{\"stage\":\"ppo\"}", await File.ReadAllTextAsync(Path.Combine(root.Path, "runs", "r1", "saga.json")));
        Assert.Equal(["saga.json"], Directory.GetFiles(Path.Combine(root.Path, "runs", "r1")).Select(Path.GetFileName));
    }

    public override ValueTask DisposeAsync()
    {
        root.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class BlobDocumentStoreTests : DocumentStoreContractTests
{
    private readonly BlobContainerClient container = AzuriteConnection.UniqueContainer();

    public BlobDocumentStoreTests() => Store = new BlobDocumentStore(container);

    protected override IDocumentStore Store { get; }

    [Fact]
    public async Task Documents_survive_a_restart_through_the_factory()
    {
        var etag = await Store.PutAsync("runs/r1/saga", "{\"stage\":\"sft\"}", null);

        var restarted = DocumentStoreFactory.Create(AzuriteConnection.Require(), container.Name, AzuriteConnection.FastRetry);
        Assert.IsType<BlobDocumentStore>(restarted);
        Assert.Equal(new StoredDocument("{\"stage\":\"sft\"}", etag), await restarted.GetAsync("runs/r1/saga"));
    }

    public override ValueTask DisposeAsync() => AzuriteConnection.DeleteQuietlyAsync(container);
}
