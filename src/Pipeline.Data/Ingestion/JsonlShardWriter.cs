using System.Buffers;
using Pipeline.Data.Sinks;

namespace Pipeline.Data.Ingestion;

/// <summary>
/// Streams one split's examples into numbered JSON Lines shards ("train-00000.jsonl", ...). A shard's file is opened
/// on its first row, so an empty shard is never written.
/// </summary>
internal sealed class JsonlShardWriter(IDatasetSink sink, string prefix, int nextShard) : IAsyncDisposable
{
    private const int FlushBytes = 64 * 1024;

    private readonly ArrayBufferWriter<byte> pending = new();
    private Stream? stream;
    private string? path;

    public int ShardsWritten { get; private set; } = nextShard;

    public long RowsInShard { get; private set; }

    public static string ShardPath(string prefix, int index) => $"{prefix}-{index:D5}.jsonl";

    public async Task WriteAsync(Example example, CancellationToken ct)
    {
        if (stream is null)
        {
            path = ShardPath(prefix, ShardsWritten);
            stream = await sink.OpenWriteAsync(path, ct).ConfigureAwait(false);
        }
        ExampleJson.WriteLine(pending, example);
        RowsInShard++;
        if (pending.WrittenCount >= FlushBytes) await FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes one line that <see cref="ExampleJson.WriteLine"/> wrote before (sharded ingestion copies them).</summary>
    public async Task WriteLineAsync(ReadOnlyMemory<byte> jsonLine, CancellationToken ct)
    {
        if (stream is null)
        {
            path = ShardPath(prefix, ShardsWritten);
            stream = await sink.OpenWriteAsync(path, ct).ConfigureAwait(false);
        }
        pending.Write(jsonLine.Span);
        RowsInShard++;
        if (pending.WrittenCount >= FlushBytes) await FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Finishes the open shard; returns its path and row count, or null when nothing was written to it.</summary>
    public async Task<(string Path, long Rows)?> CloseShardAsync(CancellationToken ct)
    {
        if (stream is null) return null;
        await FlushAsync(ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
        await stream.DisposeAsync().ConfigureAwait(false);
        stream = null;
        var closed = (path!, RowsInShard);
        ShardsWritten++;
        RowsInShard = 0;
        return closed;
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        await stream!.WriteAsync(pending.WrittenMemory, ct).ConfigureAwait(false);
        pending.ResetWrittenCount();
    }

    public async ValueTask DisposeAsync()
    {
        if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
    }
}
