using System.Runtime.CompilerServices;
using System.Text.Json;
using Pipeline.Artifacts.State;

namespace Pipeline.Orchestration.State;

/// <summary>
/// Typed records over an <see cref="IDocumentStore"/> with optimistic concurrency: an update reads the
/// record and its ETag, applies a pure change and writes with If-Match, retrying on conflict. This is
/// what makes the run and stage records safe when several replicas handle messages for the same run.
/// </summary>
public sealed class JsonDocumentCollection<T>(IDocumentStore store, string prefix) where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Give up after this many conflicting writers in a row; far more than real contention needs.</summary>
    private const int MaxAttempts = 50;

    private string Key(string id) => $"{prefix}/{id}.json";

    public async Task<(T? Value, string? ETag)> GetAsync(string id, CancellationToken ct)
    {
        var doc = await store.GetAsync(Key(id), ct).ConfigureAwait(false);
        return doc is null ? (null, null) : (JsonSerializer.Deserialize<T>(doc.Json, Json), doc.ETag);
    }

    /// <summary>Creates the record if absent; false when it already exists (so a duplicate start is a no-op).</summary>
    public async Task<bool> TryCreateAsync(string id, T value, CancellationToken ct)
    {
        try
        {
            await store.PutAsync(Key(id), JsonSerializer.Serialize(value, Json), null, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }

    /// <summary>
    /// Applies <paramref name="change"/> (which must be pure: it may run several times) and saves.
    /// The change returns null to leave the record as it is. Returns the record as stored afterwards.
    /// </summary>
    public async Task<T?> UpdateAsync(string id, Func<T?, T?> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (current, etag) = await GetAsync(id, ct).ConfigureAwait(false);
            var next = change(current);
            if (next is null) return current;
            try
            {
                await store.PutAsync(Key(id), JsonSerializer.Serialize(next, Json), etag, ct).ConfigureAwait(false);
                return next;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                await Task.Delay(Random.Shared.Next(5, 20 * Math.Min(attempt, 10)), ct).ConfigureAwait(false);
            }
        }
    }

    public async IAsyncEnumerable<T> ListAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var key in store.ListKeysAsync(prefix + "/", ct).ConfigureAwait(false))
        {
            var doc = await store.GetAsync(key, ct).ConfigureAwait(false);
            if (doc is not null && JsonSerializer.Deserialize<T>(doc.Json, Json) is { } value) yield return value;
        }
    }
}
