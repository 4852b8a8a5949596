using System.Text;
using Pipeline.Artifacts.Tests.Support;
using Pipeline.Contracts;

namespace Pipeline.Artifacts.Tests.Artifacts;

/// <summary>
/// The behaviour every artifact store backend must share. Each backend's test class supplies the
/// store and raw access to its storage (to tamper with bytes behind the store's back).
/// </summary>
public abstract class ArtifactStoreContractTests : IAsyncDisposable
{
    // SHA-256 of the ASCII bytes "abc" (FIPS 180-2, appendix B.1), the hand-known expectation.
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static readonly Guid RunId = Guid.Parse("3f2a9c4e-1b7d-4e8a-9f00-0123456789ab");

    protected static readonly ArtifactInfo DatasetInfo = new()
    {
        Kind = ArtifactKind.Dataset,
        ProducerStage = "ingest",
        RunId = RunId,
        ConfigHash = "c0ffee",
        Parents = ["imports/raw/wiki"],
    };

    protected abstract IArtifactStore Store { get; }

    /// <summary>The stored bytes of a file, bypassing the store; null when absent.</summary>
    protected abstract Task<byte[]?> ReadRawAsync(string artifactId, string relativePath);

    /// <summary>Replaces or adds a stored file, bypassing the store (and its manifest).</summary>
    protected abstract Task WriteRawAsync(string artifactId, string relativePath, byte[] content);

    public abstract ValueTask DisposeAsync();

    private static string NewId(string stage = "ingest/dataset") => $"runs/{Guid.NewGuid():N}/{stage}";

    private async Task<string> CommitAbcArtifactAsync(string? id = null)
    {
        id ??= NewId();
        await using var writer = await Store.CreateAsync(id, DatasetInfo);
        await writer.WriteAllTextAsync("shards/part-0000.jsonl", "abc");
        await writer.WriteAllTextAsync("data_card.json", "{\"rows\":1}");
        await writer.CommitAsync();
        return id;
    }

    private async Task DrainAsync(string id, string path)
    {
        await using var stream = await Store.OpenReadAsync(id, path);
        await stream.CopyToAsync(Stream.Null);
    }

    [Fact]
    public async Task Round_trip_records_every_file_and_the_info_in_the_manifest()
    {
        var id = NewId();
        using var temp = new TempFolder();
        var local = temp.PathOf("config.json");
        await File.WriteAllTextAsync(local, "{\"hidden_size\":8}");

        ArtifactManifest committed;
        await using (var writer = await Store.CreateAsync(id, DatasetInfo))
        {
            await using (var stream = await writer.OpenWriteAsync("shards/part-0000.jsonl"))
                await stream.WriteAsync("abc"u8.ToArray());
            var added = await writer.AddFileAsync("config.json", local);
            Assert.Equal(17, added.Size);
            committed = await writer.CommitAsync();
        }

        var manifest = await Store.GetManifestAsync(id);
        Assert.Equal(id, manifest.Id);
        Assert.Equal(ArtifactKind.Dataset, manifest.Kind);
        Assert.Equal("ingest", manifest.ProducerStage);
        Assert.Equal(RunId, manifest.RunId);
        Assert.Equal("c0ffee", manifest.ConfigHash);
        Assert.Equal(["imports/raw/wiki"], manifest.Parents);
        Assert.Equal(FixedTimeProvider.Instant, manifest.CreatedAt);
        Assert.Equal(["config.json", "shards/part-0000.jsonl"], manifest.Files.Select(f => f.Path));
        Assert.Equal(new ArtifactFileEntry("shards/part-0000.jsonl", 3, AbcSha256), manifest.Files[1]);
        Assert.Equal(committed.Files, manifest.Files);
        Assert.Equal(20, manifest.TotalSize);

        Assert.Equal("abc", await Store.ReadAllTextAsync(id, "shards/part-0000.jsonl"));
        Assert.Equal("{\"hidden_size\":8}", await Store.ReadAllTextAsync(id, "config.json"));
        await Store.VerifyAsync(id);
    }

    [Fact]
    public async Task Manifest_is_written_last_and_nothing_is_visible_before_commit()
    {
        var id = NewId();
        await using var writer = await Store.CreateAsync(id, DatasetInfo);
        await writer.WriteAllTextAsync("shards/part-0000.jsonl", "abc");

        Assert.Equal("abc"u8.ToArray(), await ReadRawAsync(id, "shards/part-0000.jsonl"));
        Assert.Null(await ReadRawAsync(id, ArtifactManifest.FileName));
        Assert.Null(await Store.TryGetManifestAsync(id));
        Assert.False(await Store.ExistsAsync(id));
        Assert.DoesNotContain(await ListIdsAsync(null), listed => listed == id);
        var notFound = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => Store.OpenReadAsync(id, "shards/part-0000.jsonl"));
        Assert.Contains(id, notFound.Message);

        await writer.CommitAsync();

        Assert.NotNull(await ReadRawAsync(id, ArtifactManifest.FileName));
        Assert.True(await Store.ExistsAsync(id));
        Assert.Contains(await ListIdsAsync(null), listed => listed == id);
    }

    [Fact]
    public async Task Disposing_without_commit_leaves_no_manifest_and_removes_the_files()
    {
        var id = NewId();
        await using (var writer = await Store.CreateAsync(id, DatasetInfo))
            await writer.WriteAllTextAsync("weights.bin", "abc");

        Assert.Null(await ReadRawAsync(id, ArtifactManifest.FileName));
        Assert.Null(await ReadRawAsync(id, "weights.bin"));
        Assert.False(await Store.ExistsAsync(id));
        // The id is still free: an abandoned attempt does not block a retry.
        await CommitAbcArtifactAsync(id);
        Assert.True(await Store.ExistsAsync(id));
    }

    [Fact]
    public async Task Committed_artifact_is_immutable()
    {
        var id = await CommitAbcArtifactAsync();

        var error = await Assert.ThrowsAsync<ArtifactAlreadyExistsException>(() => Store.CreateAsync(id, DatasetInfo));
        Assert.Contains(id, error.Message);
        Assert.Contains("immutable", error.Message);
    }

    [Fact]
    public async Task Of_two_concurrent_writers_of_one_id_only_the_first_commit_wins()
    {
        var id = NewId();
        await using var first = await Store.CreateAsync(id, DatasetInfo);
        await using var second = await Store.CreateAsync(id, DatasetInfo with { ConfigHash = "second" });
        await first.WriteAllTextAsync("a.txt", "abc");
        await first.CommitAsync();
        await second.WriteAllTextAsync("b.txt", "xyz");

        await Assert.ThrowsAsync<ArtifactAlreadyExistsException>(() => second.CommitAsync());
        var manifest = await Store.GetManifestAsync(id);
        Assert.Equal("c0ffee", manifest.ConfigHash);
        Assert.Equal(["a.txt"], manifest.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task Writer_refuses_duplicate_paths_open_streams_at_commit_and_the_reserved_manifest_name()
    {
        await using var writer = await Store.CreateAsync(NewId(), DatasetInfo);
        await writer.WriteAllTextAsync("a.txt", "abc");

        var duplicate = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAllTextAsync("a.txt", "again"));
        Assert.Contains("'a.txt'", duplicate.Message);
        var fileAndFolder = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAllTextAsync("a.txt/inner", "x"));
        Assert.Contains("both a file and a folder", fileAndFolder.Message);
        var reserved = await Assert.ThrowsAsync<InvalidArtifactKeyException>(() => writer.OpenWriteAsync("manifest.json"));
        Assert.Contains("reserved", reserved.Message);

        var open = await writer.OpenWriteAsync("b.txt");
        var stillOpen = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CommitAsync());
        Assert.Contains("b.txt", stillOpen.Message);
        await open.DisposeAsync();
        var manifest = await writer.CommitAsync();
        Assert.Equal(["a.txt", "b.txt"], manifest.Files.Select(f => f.Path));
        Assert.Equal(0, manifest.Files[1].Size);
    }

    [Fact]
    public async Task Truncated_file_is_refused_naming_artifact_and_file()
    {
        var id = await CommitAbcArtifactAsync();
        await WriteRawAsync(id, "shards/part-0000.jsonl", "ab"u8.ToArray());

        var error = await Assert.ThrowsAsync<ArtifactCorruptException>(() => DrainAsync(id, "shards/part-0000.jsonl"));
        Assert.Contains(id, error.Message);
        Assert.Contains("shards/part-0000.jsonl", error.Message);
        Assert.Contains("has 2 bytes but the manifest lists 3", error.Message);

        var verify = await Assert.ThrowsAsync<ArtifactCorruptException>(() => Store.VerifyAsync(id));
        Assert.Equal("shards/part-0000.jsonl", verify.RelativePath);
    }

    [Fact]
    public async Task Altered_byte_is_refused()
    {
        var id = await CommitAbcArtifactAsync();
        await WriteRawAsync(id, "shards/part-0000.jsonl", "abd"u8.ToArray());

        var error = await Assert.ThrowsAsync<ArtifactCorruptException>(() => DrainAsync(id, "shards/part-0000.jsonl"));
        Assert.Contains("SHA-256", error.Message);
        Assert.Contains(AbcSha256, error.Message);
        Assert.Equal("shards/part-0000.jsonl", error.RelativePath);
        await Assert.ThrowsAsync<ArtifactCorruptException>(() => Store.VerifyAsync(id));
    }

    [Fact]
    public async Task Longer_file_is_refused()
    {
        var id = await CommitAbcArtifactAsync();
        await WriteRawAsync(id, "shards/part-0000.jsonl", "abcd"u8.ToArray());

        var error = await Assert.ThrowsAsync<ArtifactCorruptException>(() => DrainAsync(id, "shards/part-0000.jsonl"));
        Assert.Contains("longer than the 3 bytes", error.Message);
    }

    [Fact]
    public async Task Missing_stored_file_is_reported_as_corruption()
    {
        var id = NewId();
        await using (var writer = await Store.CreateAsync(id, DatasetInfo))
        {
            await writer.WriteAllTextAsync("a.txt", "abc");
            await writer.CommitAsync();
        }
        await DeleteRawAsync(id, "a.txt");

        var error = await Assert.ThrowsAsync<ArtifactCorruptException>(() => Store.VerifyAsync(id));
        Assert.Equal("a.txt", error.RelativePath);
        Assert.Contains("missing", error.Message);
    }

    /// <summary>Removes a stored file, bypassing the store.</summary>
    protected abstract Task DeleteRawAsync(string artifactId, string relativePath);

    [Fact]
    public async Task File_not_in_manifest_is_refused_even_if_stored()
    {
        var id = await CommitAbcArtifactAsync();
        await WriteRawAsync(id, "extra.bin", "abc"u8.ToArray());

        var error = await Assert.ThrowsAsync<ArtifactFileNotFoundException>(() => Store.OpenReadAsync(id, "extra.bin"));
        Assert.Contains("'extra.bin'", error.Message);
        Assert.Contains(id, error.Message);
        Assert.Contains("data_card.json, shards/part-0000.jsonl", error.Message);
        await Store.VerifyAsync(id); // the listed files are intact; the stray one is not part of the artifact
    }

    [Fact]
    public async Task Missing_artifact_is_named_in_the_error()
    {
        var id = NewId();
        Assert.Null(await Store.TryGetManifestAsync(id));
        Assert.False(await Store.ExistsAsync(id));
        var error = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => Store.GetManifestAsync(id));
        Assert.Equal(id, error.ArtifactId);
        Assert.Contains($"'{id}'", error.Message);
    }

    [Theory]
    [InlineData("runs/../secrets", "'..'")]
    [InlineData("/abs/path", "starts with '/'")]
    [InlineData("a\\b", "backslash")]
    [InlineData("a\u0001b", "control character U+0001")]
    [InlineData("a//b", "empty")]
    [InlineData("", "empty")]
    [InlineData("runs/./x", "'.'")]
    public async Task Invalid_ids_and_paths_are_refused_with_the_key_and_the_rule(string key, string problem)
    {
        var idError = await Assert.ThrowsAsync<InvalidArtifactKeyException>(() => Store.CreateAsync(key, DatasetInfo));
        Assert.Contains(problem, idError.Message);
        Assert.Contains("Allowed:", idError.Message);
        Assert.Contains(key.Replace("\u0001", "\\u0001"), idError.Message);

        await using var writer = await Store.CreateAsync(NewId(), DatasetInfo);
        var pathError = await Assert.ThrowsAsync<InvalidArtifactKeyException>(() => writer.OpenWriteAsync(key));
        Assert.Contains(problem, pathError.Message);
        await Assert.ThrowsAsync<InvalidArtifactKeyException>(() => Store.OpenReadAsync("runs/x", key));
    }

    [Fact]
    public async Task Listing_by_prefix_returns_committed_artifacts_in_id_order()
    {
        var run = $"runs/{Guid.NewGuid():N}";
        var other = $"runs/{Guid.NewGuid():N}";
        await CommitAbcArtifactAsync($"{run}/sft/model");
        await CommitAbcArtifactAsync($"{run}/ingest/dataset");
        await CommitAbcArtifactAsync($"{other}/ingest/dataset");
        await using var uncommitted = await Store.CreateAsync($"{run}/ppo/model", DatasetInfo);
        await uncommitted.WriteAllTextAsync("a.txt", "abc");

        Assert.Equal([$"{run}/ingest/dataset", $"{run}/sft/model"], await ListIdsAsync(run + "/"));
        Assert.Equal([$"{run}/sft/model"], await ListIdsAsync(run + "/s"));
        Assert.Equal([$"{other}/ingest/dataset"], await ListIdsAsync(other));
        Assert.Empty(await ListIdsAsync($"runs/{Guid.NewGuid():N}/"));
        var all = await ListIdsAsync(null);
        Assert.Subset(all.ToHashSet(), new HashSet<string> { $"{run}/ingest/dataset", $"{run}/sft/model", $"{other}/ingest/dataset" });
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
        await Assert.ThrowsAsync<InvalidArtifactKeyException>(async () => await ListIdsAsync("runs/../x"));
    }

    [Fact]
    public async Task File_larger_than_any_buffer_streams_through_and_verifies()
    {
        const long size = 5L * 1024 * 1024 + 123; // more than five 1 MiB upload blocks, not a multiple of any buffer
        var id = NewId("sft/model");
        (long Size, string Sha256) expected;
        await using (var writer = await Store.CreateAsync(id, DatasetInfo with { Kind = ArtifactKind.Model }))
        {
            await using (var stream = await writer.OpenWriteAsync("model.safetensors"))
                expected = await GeneratedContent.WriteAsync(stream, size, chunkSize: 64 * 1024);
            await writer.CommitAsync();
        }

        var entry = (await Store.GetManifestAsync(id)).FindFile("model.safetensors")!;
        Assert.Equal(size, entry.Size);
        Assert.Equal(expected.Sha256, entry.Sha256);

        await using (var read = await Store.OpenReadAsync(id, "model.safetensors"))
        {
            Assert.False(read.CanSeek);
            var actual = await GeneratedContent.HashByReadingAsync(read, bufferSize: 8 * 1024);
            Assert.Equal(expected, actual);
            Assert.True(((HashingReadStream)read).IsVerified);
        }
        await AssertStoredInPiecesAsync(id, "model.safetensors", size);
    }

    /// <summary>Backend-specific evidence that a large file was uploaded in pieces, not as one buffer.</summary>
    protected abstract Task AssertStoredInPiecesAsync(string artifactId, string relativePath, long size);

    [Fact]
    public async Task Download_writes_verified_files_and_the_manifest()
    {
        var id = await CommitAbcArtifactAsync();
        using var temp = new TempFolder();

        await Store.DownloadAsync(id, temp.Path);

        Assert.Equal("abc", await File.ReadAllTextAsync(temp.PathOf("shards", "part-0000.jsonl")));
        Assert.Equal("{\"rows\":1}", await File.ReadAllTextAsync(temp.PathOf("data_card.json")));
        var manifest = ManifestJson.Deserialize(id, await File.ReadAllBytesAsync(temp.PathOf("manifest.json")));
        Assert.Equal((await Store.GetManifestAsync(id)).Files, manifest.Files);
    }

    [Fact]
    public async Task Download_of_a_corrupt_file_fails_and_leaves_no_copy_of_it()
    {
        var id = await CommitAbcArtifactAsync();
        await WriteRawAsync(id, "shards/part-0000.jsonl", "abd"u8.ToArray());
        using var temp = new TempFolder();

        var error = await Assert.ThrowsAsync<ArtifactCorruptException>(() => Store.DownloadAsync(id, temp.Path));
        Assert.Equal("shards/part-0000.jsonl", error.RelativePath);
        Assert.False(File.Exists(temp.PathOf("shards", "part-0000.jsonl")));
        Assert.False(File.Exists(temp.PathOf("shards", "part-0000.jsonl.partial")));
        Assert.False(File.Exists(temp.PathOf("manifest.json")));
    }

    [Fact]
    public async Task Manifest_on_storage_uses_snake_case_names()
    {
        var id = await CommitAbcArtifactAsync();
        var json = Encoding.UTF8.GetString((await ReadRawAsync(id, ArtifactManifest.FileName))!);

        foreach (var name in new[] { "\"kind\": \"dataset\"", "\"producer_stage\": \"ingest\"", $"\"run_id\": \"{RunId}\"",
                     "\"config_hash\": \"c0ffee\"", "\"parents\"", "\"created_at\": \"2026-11-03T14:15:09.2650000+00:00\"",
                     "\"path\": \"shards/part-0000.jsonl\"", "\"size\": 3", $"\"sha256\": \"{AbcSha256}\"" })
            Assert.Contains(name, json);
    }

    private async Task<List<string>> ListIdsAsync(string? prefix)
    {
        var ids = new List<string>();
        await foreach (var manifest in Store.ListAsync(prefix)) ids.Add(manifest.Id);
        return ids;
    }
}
