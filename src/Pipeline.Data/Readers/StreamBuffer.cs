namespace Pipeline.Data.Readers;

/// <summary>
/// A growable window over a file stream that the text readers scan record by record, knowing each byte's file
/// offset (for resumable positions). Spans taken from it stay valid until the next <see cref="FillAsync"/>.
/// </summary>
internal sealed class StreamBuffer(Stream stream, long offset, string file)
{
    /// <summary>A record larger than this is an error rather than a reason to exhaust memory.</summary>
    public const int MaxRecordBytes = 256 * 1024 * 1024;

    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private long bufferOffset = offset;

    public bool EndOfStream { get; private set; }

    /// <summary>The file offset of the first unconsumed byte.</summary>
    public long Position => bufferOffset + start;

    public int Length => end - start;

    public ReadOnlySpan<byte> Span => buffer.AsSpan(start, end - start);

    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(start, end - start);

    public void Consume(int count) => start += count;

    /// <summary>Reads more bytes after the unconsumed ones; false once the stream has ended.</summary>
    public async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (EndOfStream) return false;
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            bufferOffset += start;
            end -= start;
            start = 0;
        }
        if (end == buffer.Length)
        {
            if (buffer.Length >= MaxRecordBytes)
                throw new DataFormatException(file, $"{file}: a record starting at byte {Position} is larger than {MaxRecordBytes / (1024 * 1024)} MiB; is the file in the configured format?");
            Array.Resize(ref buffer, buffer.Length * 2);
        }
        int read = await stream.ReadAsync(buffer.AsMemory(end), ct).ConfigureAwait(false);
        if (read == 0)
        {
            EndOfStream = true;
            return false;
        }
        end += read;
        return true;
    }

    /// <summary>Skips a UTF-8 byte order mark at the start of the file.</summary>
    public async ValueTask SkipByteOrderMarkAsync(CancellationToken ct)
    {
        while (Length < 3 && await FillAsync(ct).ConfigureAwait(false)) { }
        if (Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) Consume(3);
    }

    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
