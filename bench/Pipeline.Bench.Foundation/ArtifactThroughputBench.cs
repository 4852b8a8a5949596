using System.Diagnostics;
using System.Security.Cryptography;
using Pipeline.Artifacts;
using Pipeline.Contracts;

namespace Pipeline.Bench.Foundation;

/// <summary>A transfer of the benchmark file, timed several times; <see cref="Elapsed"/> is the median.</summary>
/// <param name="Direction">"write" or "read"; a row is compared with the baseline of its direction.</param>
public sealed record ThroughputResult(string Name, string Direction, bool IsBaseline, long Bytes, TimeSpan Elapsed)
{
    public double MiBPerSecond => Bytes / (1024.0 * 1024.0) / Elapsed.TotalSeconds;
}

/// <summary>
/// Uploads one random file as an artifact and reads it back through the verifying stream, to Azurite
/// (<see cref="BlobArtifactStore"/>) and to a local folder (<see cref="LocalFolderArtifactStore"/>), beside
/// a plain <see cref="File.Copy(string, string)"/> and a plain <see cref="FileStream"/> read of the same bytes.
/// Every transfer reads a file that was just written, so all of them read from the page cache alike.
/// </summary>
public static class ArtifactThroughputBench
{
    /// <summary>Copy buffer of the store transfers and the plain read: large enough that calls, not bytes, are rare.</summary>
    private const int BufferSize = 1024 * 1024;

    private const string FileName = "payload.bin";

    /// <param name="repeats">Timings of each transfer; the median is reported, so one stall on a shared machine does not decide a row.</param>
    public static async Task<IReadOnlyList<ThroughputResult>> RunAsync(
        string blobConnection, string runSuffix, string workDirectory, int sizeMiB, int repeats, CancellationToken ct)
    {
        Directory.CreateDirectory(workDirectory);
        var source = Path.Combine(workDirectory, "source.bin");
        var bytes = await WriteRandomFileAsync(source, sizeMiB, ct).ConfigureAwait(false);
        var warmUp = Path.Combine(workDirectory, "warm-up.bin");
        await WriteRandomFileAsync(warmUp, 1, ct).ConfigureAwait(false);

        // Untimed baselines on the small file first, so the timed ones pay no JIT either.
        File.Copy(warmUp, Path.Combine(workDirectory, "warm-up-copy.bin"));
        await ReadToEndAsync(warmUp, ct).ConfigureAwait(false);
        await HashToEndAsync(warmUp, ct).ConfigureAwait(false);

        var results = new List<ThroughputResult>
        {
            await TimeAsync("File.Copy", "write", true, bytes, repeats,
                n => { File.Copy(source, Path.Combine(workDirectory, $"copy-{n}.bin")); return Task.CompletedTask; }).ConfigureAwait(false),
            await TimeAsync("FileStream read", "read", true, bytes, repeats, _ => ReadToEndAsync(source, ct)).ConfigureAwait(false),
            await TimeAsync("FileStream read + SHA-256", "read", true, bytes, repeats, _ => HashToEndAsync(source, ct)).ConfigureAwait(false),
        };

        var local = new LocalFolderArtifactStore(Path.Combine(workDirectory, "artifact-store"));
        results.AddRange(await MeasureStoreAsync("LocalFolderArtifactStore", local, source, warmUp, bytes, repeats, ct).ConfigureAwait(false));

        var container = $"bench-{runSuffix}-throughput";
        var blob = (BlobArtifactStore)ArtifactStoreFactory.Create(blobConnection.TrimEnd().TrimEnd(';') + $";ContainerName={container};");
        try
        {
            results.AddRange(await MeasureStoreAsync("BlobArtifactStore (Azurite)", blob, source, warmUp, bytes, repeats, ct).ConfigureAwait(false));
        }
        finally
        {
            await blob.Container.DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        return results;
    }

    private static async Task<ThroughputResult[]> MeasureStoreAsync(string storeName, IArtifactStore store, string source, string warmUp,
        long bytes, int repeats, CancellationToken ct)
    {
        // An untimed 1 MiB round trip first: JIT, HTTP connections, container creation.
        await UploadAsync(store, "bench/warm-up", warmUp, ct).ConfigureAwait(false);
        await DownloadAsync(store, "bench/warm-up", ct).ConfigureAwait(false);

        // Artifacts are immutable, so each upload is a new id; each read reads the first.
        var upload = await TimeAsync($"{storeName} upload", "write", false, bytes, repeats,
            n => UploadAsync(store, $"bench/payload-{n}", source, ct)).ConfigureAwait(false);
        var download = await TimeAsync($"{storeName} verified read", "read", false, bytes, repeats,
            _ => DownloadAsync(store, "bench/payload-0", ct)).ConfigureAwait(false);
        return [upload, download];
    }

    private static async Task UploadAsync(IArtifactStore store, string artifactId, string source, CancellationToken ct)
    {
        await using var writer = await store.CreateAsync(artifactId, new ArtifactInfo { Kind = ArtifactKind.Dataset, ProducerStage = "bench" }, ct)
            .ConfigureAwait(false);
        await using (var input = OpenRead(source))
        await using (var output = await writer.OpenWriteAsync(FileName, ct).ConfigureAwait(false))
            await input.CopyToAsync(output, BufferSize, ct).ConfigureAwait(false);
        await writer.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Reads to the end, which is when the verifying stream checks size and SHA-256 against the manifest.</summary>
    private static async Task DownloadAsync(IArtifactStore store, string artifactId, CancellationToken ct)
    {
        await using var input = await store.OpenReadAsync(artifactId, FileName, ct).ConfigureAwait(false);
        await input.CopyToAsync(Stream.Null, BufferSize, ct).ConfigureAwait(false);
    }

    private static async Task ReadToEndAsync(string path, CancellationToken ct)
    {
        await using var input = OpenRead(path);
        await input.CopyToAsync(Stream.Null, BufferSize, ct).ConfigureAwait(false);
    }

    /// <summary>The same reads as <see cref="ReadToEndAsync"/>, each chunk hashed as the verifying stream does.</summary>
    private static async Task HashToEndAsync(string path, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        await using var input = OpenRead(path);
        int read;
        while ((read = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            hash.AppendData(buffer, 0, read);
        hash.GetHashAndReset();
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);

    private static async Task<long> WriteRandomFileAsync(string path, int sizeMiB, CancellationToken ct)
    {
        // Random bytes, so nothing on the way (HTTP, storage) can profit from compressible data.
        var chunk = new byte[BufferSize];
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        for (var i = 0; i < sizeMiB; i++)
        {
            RandomNumberGenerator.Fill(chunk);
            await output.WriteAsync(chunk, ct).ConfigureAwait(false);
        }
        return (long)sizeMiB * BufferSize;
    }

    private static async Task<ThroughputResult> TimeAsync(string name, string direction, bool isBaseline, long bytes, int repeats,
        Func<int, Task> transfer)
    {
        var timings = new List<TimeSpan>(repeats);
        for (var n = 0; n < repeats; n++)
        {
            var start = Stopwatch.GetTimestamp();
            await transfer(n).ConfigureAwait(false);
            timings.Add(Stopwatch.GetElapsedTime(start));
        }
        var median = TimeSpan.FromMilliseconds(Percentiles.Of([.. timings.Select(t => t.TotalMilliseconds).Order()], 50));
        return new ThroughputResult(name, direction, isBaseline, bytes, median);
    }
}
