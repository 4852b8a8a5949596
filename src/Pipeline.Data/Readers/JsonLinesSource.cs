using System.Runtime.CompilerServices;

namespace Pipeline.Data.Readers;

/// <summary>JSON Lines: one record per physical line; blank lines are skipped; a line's number is its record's line.</summary>
internal static class JsonLinesSource
{
    public static async IAsyncEnumerable<RawRecord> ReadAsync(string path, ReadPosition from, [EnumeratorCancellation] CancellationToken ct)
    {
        var stream = StreamBuffer.OpenRead(path);
        await using var streamScope = stream.ConfigureAwait(false);
        stream.Seek(from.ByteOffset, SeekOrigin.Begin);
        var buffer = new StreamBuffer(stream, from.ByteOffset, path);
        // A byte order mark can only open a file; a shard cut from the middle of one starts at a later line.
        if (from.ByteOffset == 0 && from.Line == 1) await buffer.SkipByteOrderMarkAsync(ct).ConfigureAwait(false);
        long line = from.Line;
        long records = from.Records;
        while (true)
        {
            int newline = buffer.Span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (await buffer.FillAsync(ct).ConfigureAwait(false)) continue;
                if (buffer.Length == 0) yield break;
                newline = buffer.Length;
            }
            var content = buffer.Memory[..newline];
            if (content.Span.EndsWith("\r"u8)) content = content[..^1];
            buffer.Consume(Math.Min(newline + 1, buffer.Length));
            long recordLine = line++;
            // The slice stays valid until the next FillAsync, which only happens after the consumer moves on.
            if (content.Span.Trim(" \t"u8).IsEmpty) continue;
            records++;
            yield return new RawRecord(content, recordLine, new ReadPosition(records, buffer.Position, line));
        }
    }
}
