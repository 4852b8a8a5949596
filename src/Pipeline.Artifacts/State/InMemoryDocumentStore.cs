using System.Runtime.CompilerServices;

namespace Pipeline.Artifacts.State;

/// <summary>Thread-safe in-process document store for the embedded wiring and tests; ETags are increasing version numbers.</summary>
public sealed class InMemoryDocumentStore : IDocumentStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, StoredDocument> documents = new(StringComparer.Ordinal);
    private long version;

    public Task<StoredDocument?> GetAsync(string key, CancellationToken ct = default)
    {
        ArtifactKey.ValidateDocumentKey(key);
        lock (gate) return Task.FromResult(documents.GetValueOrDefault(key));
    }

    public Task<string> PutAsync(string key, string json, string? expectedETag, CancellationToken ct = default)
    {
        DocumentJson.ValidatePut(key, json);
        lock (gate)
        {
            var exists = documents.TryGetValue(key, out var current);
            if (expectedETag is null && exists)
                throw new ConcurrencyConflictException(key, expectedETag, "it already exists");
            if (expectedETag is not null && !exists)
                throw new ConcurrencyConflictException(key, expectedETag, "it does not exist (deleted since it was read?)");
            if (expectedETag is not null && current!.ETag != expectedETag)
                throw new ConcurrencyConflictException(key, expectedETag, $"its ETag is now {current.ETag}");
            var etag = $"\"{++this.version}\"";
            documents[key] = new StoredDocument(json, etag);
            return Task.FromResult(etag);
        }
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var validPrefix = ArtifactKey.ValidatePrefix(prefix);
        string[] keys;
        lock (gate) keys = [.. documents.Keys.Where(k => k.StartsWith(validPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        foreach (var key in keys)
        {
            ct.ThrowIfCancellationRequested();
            yield return key;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        ArtifactKey.ValidateDocumentKey(key);
        lock (gate) documents.Remove(key);
        return Task.CompletedTask;
    }
}
