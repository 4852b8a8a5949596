using Pipeline.Artifacts.State;

namespace Pipeline.Artifacts.Tests.State;

/// <summary>The behaviour every document store must share, above all optimistic concurrency.</summary>
public abstract class DocumentStoreContractTests : IAsyncDisposable
{
    protected abstract IDocumentStore Store { get; }

    public abstract ValueTask DisposeAsync();

    private static string NewKey() => $"runs/{Guid.NewGuid():N}/saga";

    [Fact]
    public async Task Missing_document_reads_as_null()
    {
        Assert.Null(await Store.GetAsync(NewKey()));
    }

    [Fact]
    public async Task Create_then_update_with_the_current_etag_round_trips()
    {
        var key = NewKey();
        var created = await Store.PutAsync(key, "{\"stage\":\"ingest\"}", expectedETag: null);
        var read = await Store.GetAsync(key);
        Assert.Equal(new StoredDocument("{\"stage\":\"ingest\"}", created), read);

        var updated = await Store.PutAsync(key, "{\"stage\":\"sft\"}", created);
        Assert.NotEqual(created, updated);
        Assert.Equal(new StoredDocument("{\"stage\":\"sft\"}", updated), await Store.GetAsync(key));
    }

    [Fact]
    public async Task Create_if_absent_conflicts_when_the_document_exists()
    {
        var key = NewKey();
        await Store.PutAsync(key, "{\"n\":1}", null);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.PutAsync(key, "{\"n\":2}", null));
        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message);
        Assert.Equal("{\"n\":1}", (await Store.GetAsync(key))!.Json);
    }

    [Fact]
    public async Task Stale_etag_conflicts_and_leaves_the_newer_document()
    {
        var key = NewKey();
        var first = await Store.PutAsync(key, "{\"n\":1}", null);
        await Store.PutAsync(key, "{\"n\":2}", first);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.PutAsync(key, "{\"n\":3}", first));
        Assert.Equal(first, error.ExpectedETag);
        Assert.Equal("{\"n\":2}", (await Store.GetAsync(key))!.Json);
    }

    [Fact]
    public async Task Two_writers_with_the_same_etag_one_wins_one_conflicts()
    {
        var key = NewKey();
        var etag = await Store.PutAsync(key, "{\"owner\":null}", null);

        var attempts = await Task.WhenAll(
            Task.Run(() => TryPutAsync(key, "{\"owner\":\"a\"}", etag)),
            Task.Run(() => TryPutAsync(key, "{\"owner\":\"b\"}", etag)));

        var winners = attempts.Where(a => a.Error is null).ToList();
        var losers = attempts.Where(a => a.Error is not null).ToList();
        Assert.Single(winners);
        Assert.Single(losers);
        Assert.IsType<ConcurrencyConflictException>(losers[0].Error);
        var stored = await Store.GetAsync(key);
        Assert.Equal(winners[0].Json, stored!.Json);
        Assert.Equal(winners[0].NewETag, stored.ETag);
    }

    [Fact]
    public async Task Update_of_a_deleted_document_conflicts()
    {
        var key = NewKey();
        var etag = await Store.PutAsync(key, "{}", null);
        await Store.DeleteAsync(key);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.PutAsync(key, "{\"n\":1}", etag));
        Assert.Null(await Store.GetAsync(key));
    }

    [Fact]
    public async Task Keys_are_listed_by_prefix_in_order_and_deleted()
    {
        var run = $"runs/{Guid.NewGuid():N}";
        await Store.PutAsync($"{run}/stages/sft", "{}", null);
        await Store.PutAsync($"{run}/saga", "{}", null);
        await Store.PutAsync($"{run}/stages/ingest", "{}", null);
        await Store.PutAsync($"runs/{Guid.NewGuid():N}/saga", "{}", null);

        Assert.Equal([$"{run}/saga", $"{run}/stages/ingest", $"{run}/stages/sft"], await ListAsync(run + "/"));
        Assert.Equal([$"{run}/stages/ingest", $"{run}/stages/sft"], await ListAsync(run + "/stages/"));

        await Store.DeleteAsync($"{run}/stages/sft");
        await Store.DeleteAsync($"{run}/never-existed");
        Assert.Equal([$"{run}/saga", $"{run}/stages/ingest"], await ListAsync(run + "/"));
    }

    [Fact]
    public async Task Invalid_keys_and_json_are_refused_with_the_key()
    {
        var keyError = await Assert.ThrowsAsync<InvalidArtifactKeyException>(() => Store.PutAsync("runs/../x", "{}", null));
        Assert.Contains("document key 'runs/../x'", keyError.Message);
        await Assert.ThrowsAsync<InvalidArtifactKeyException>(() => Store.GetAsync("/abs"));

        var key = NewKey();
        var jsonError = await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, "{not json", null));
        Assert.Contains(key, jsonError.Message);
        Assert.Null(await Store.GetAsync(key));
    }

    private async Task<List<string>> ListAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in Store.ListKeysAsync(prefix)) keys.Add(key);
        return keys;
    }

    private async Task<(string Json, string? NewETag, Exception? Error)> TryPutAsync(string key, string json, string etag)
    {
        try
        {
            return (json, await Store.PutAsync(key, json, etag), null);
        }
        catch (Exception e)
        {
            return (json, null, e);
        }
    }
}
