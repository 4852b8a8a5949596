using Pipeline.Artifacts.Tests.Support;
using Pipeline.Contracts;

namespace Pipeline.Artifacts.Tests.Artifacts;

public sealed class LocalFolderArtifactStoreTests : ArtifactStoreContractTests
{
    private readonly TempFolder root = new();
    private readonly LocalFolderArtifactStore store;

    public LocalFolderArtifactStoreTests() => store = new LocalFolderArtifactStore(root.Path, new FixedTimeProvider());

    protected override IArtifactStore Store => store;

    private string RawPath(string artifactId, string relativePath) =>
        Path.Combine(store.GetArtifactDirectory(artifactId), relativePath.Replace('/', Path.DirectorySeparatorChar));

    protected override async Task<byte[]?> ReadRawAsync(string artifactId, string relativePath)
    {
        var path = RawPath(artifactId, relativePath);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path) : null;
    }

    protected override async Task WriteRawAsync(string artifactId, string relativePath, byte[] content)
    {
        var path = RawPath(artifactId, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content);
    }

    protected override Task DeleteRawAsync(string artifactId, string relativePath)
    {
        File.Delete(RawPath(artifactId, relativePath));
        return Task.CompletedTask;
    }

    protected override Task AssertStoredInPiecesAsync(string artifactId, string relativePath, long size)
    {
        // A file stream writes through a bounded buffer by construction; what can be checked is the result on disk.
        Assert.Equal(size, new FileInfo(RawPath(artifactId, relativePath)).Length);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Committed_artifact_is_a_plain_folder_under_the_root()
    {
        await using (var writer = await store.CreateAsync("runs/r1/sft/model", DatasetInfo with { Kind = ArtifactKind.Model }))
        {
            await writer.WriteAllTextAsync("config.json", "{}");
            await writer.CommitAsync();
        }

        Assert.Equal("{}", await File.ReadAllTextAsync(Path.Combine(root.Path, "runs", "r1", "sft", "model", "config.json")));
        Assert.True(File.Exists(Path.Combine(root.Path, "runs", "r1", "sft", "model", "manifest.json")));
        Assert.Empty(Directory.EnumerateFiles(root.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_second_store_on_the_same_folder_sees_committed_artifacts()
    {
        await using (var writer = await store.CreateAsync("runs/r1/ingest/dataset", DatasetInfo))
        {
            await writer.WriteAllTextAsync("a.txt", "abc");
            await writer.CommitAsync();
        }

        var reopened = new LocalFolderArtifactStore(root.Path);
        Assert.Equal("abc", await reopened.ReadAllTextAsync("runs/r1/ingest/dataset", "a.txt"));
    }

    public override ValueTask DisposeAsync()
    {
        root.Dispose();
        return ValueTask.CompletedTask;
    }
}
