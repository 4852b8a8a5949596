using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Artifacts.State;

/// <summary>
/// One JSON file per key (<c>{root}/{key}.json</c>), replaced atomically through a temp file and a
/// rename, so a crash leaves the old or the new document, never half of one. The ETag is the SHA-256
/// of the content: a writer that saw the same content may write, which is what optimistic
/// concurrency needs. Conditional writes are serialised by a process-wide lock per file; across
/// processes, create-if-absent stays atomic (rename without overwrite) but replace does not, so one
/// folder should have one writing process (the orchestrator).
/// </summary>
public sealed class LocalFolderDocumentStore : IDocumentStore
{
    private const string Extension = ".json";
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> FileLocks = new(StringComparer.Ordinal);

    public LocalFolderDocumentStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(RootDirectory);
    }

    public string RootDirectory { get; }

    public async Task<StoredDocument?> GetAsync(string key, CancellationToken ct = default)
    {
        var bytes = await ReadAsync(PathOf(ArtifactKey.ValidateDocumentKey(key)), ct).ConfigureAwait(false);
        return bytes is null ? null : new StoredDocument(Encoding.UTF8.GetString(bytes), ETagOf(bytes));
    }

    public async Task<string> PutAsync(string key, string json, string? expectedETag, CancellationToken ct = default)
    {
        DocumentJson.ValidatePut(key, json);
        var path = PathOf(key);
        var bytes = Encoding.UTF8.GetBytes(json);
        var gate = FileLocks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var current = await ReadAsync(path, ct).ConfigureAwait(false);
            if (expectedETag is null && current is not null)
                throw new ConcurrencyConflictException(key, expectedETag, "it already exists");
            if (expectedETag is not null && current is null)
                throw new ConcurrencyConflictException(key, expectedETag, "it does not exist (deleted since it was read?)");
            if (expectedETag is not null && ETagOf(current!) != expectedETag)
                throw new ConcurrencyConflictException(key, expectedETag, $"its ETag is now {ETagOf(current!)}");

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            {
                var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
                await using (stream.ConfigureAwait(false))
                {
                    await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                }
            }
            try
            {
                File.Move(temporary, path, overwrite: expectedETag is not null);
            }
            catch (IOException) when (expectedETag is null && File.Exists(path))
            {
                File.Delete(temporary);
                throw new ConcurrencyConflictException(key, expectedETag, "it was created by another process");
            }
            return ETagOf(bytes);
        }
        finally
        {
            gate.Release();
        }
    }

    public async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var validPrefix = ArtifactKey.ValidatePrefix(prefix);
        var keys = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchType = MatchType.Simple };
        foreach (var file in Directory.EnumerateFiles(RootDirectory, "*" + Extension, options))
        {
            if (!file.EndsWith(Extension, StringComparison.Ordinal)) continue;
            var key = Path.GetRelativePath(RootDirectory, file)[..^Extension.Length].Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(validPrefix, StringComparison.Ordinal) && ArtifactKey.IsValid(key, ArtifactKey.MaxIdLength, out _)) keys.Add(key);
        }
        keys.Sort(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            ct.ThrowIfCancellationRequested();
            yield return key;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async Task DeleteAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(ArtifactKey.ValidateDocumentKey(key));
        var gate = FileLocks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            File.Delete(path);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<byte[]?> ReadAsync(string path, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static string ETagOf(byte[] content) => "\"" + Convert.ToHexStringLower(SHA256.HashData(content)) + "\"";

    private string PathOf(string key) =>
        Path.Combine(RootDirectory, key.Replace('/', Path.DirectorySeparatorChar) + Extension);
}
