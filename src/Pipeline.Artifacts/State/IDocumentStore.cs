namespace Pipeline.Artifacts.State;

/// <summary>
/// Small mutable JSON documents with optimistic concurrency, for orchestration state that must survive
/// a process restart. Keys follow <see cref="ArtifactKey"/>'s rules (for example <c>runs/{runId}/saga</c>).
/// </summary>
public interface IDocumentStore
{
    /// <summary>The document and its current ETag, or null when the key has none.</summary>
    Task<StoredDocument?> GetAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Writes <paramref name="json"/> if the stored ETag still equals <paramref name="expectedETag"/>;
    /// null means "create only if absent". Otherwise throws <see cref="ConcurrencyConflictException"/>:
    /// re-read, re-apply the change and try again. Returns the new ETag.
    /// </summary>
    Task<string> PutAsync(string key, string json, string? expectedETag, CancellationToken ct = default);

    /// <summary>Keys starting with <paramref name="prefix"/> ("" for all), in ordinal order.</summary>
    IAsyncEnumerable<string> ListKeysAsync(string prefix, CancellationToken ct = default);

    /// <summary>Removes the document; a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct = default);
}
