using System.Security.Cryptography;

namespace Pipeline.Artifacts;

/// <summary>
/// Write-only stream that forwards every byte to the backend's upload stream while computing the
/// SHA-256 and size on the fly, so a multi-gigabyte file is hashed without a second pass or a buffer.
/// When it is closed, it closes the upload (which commits a blob's block list) and reports the
/// finished <see cref="ArtifactFileEntry"/>, or null when the upload failed.
/// </summary>
public sealed class HashingWriteStream : Stream
{
    private readonly Stream inner;
    private readonly string relativePath;
    private readonly Action<ArtifactFileEntry?> onClosed;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool closed;

    public HashingWriteStream(Stream inner, string relativePath, Action<ArtifactFileEntry?> onClosed)
    {
        this.inner = inner;
        this.relativePath = relativePath;
        this.onClosed = onClosed;
    }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>The finished entry, available after the stream is closed successfully.</summary>
    public ArtifactFileEntry? Result { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !this.closed;
    public override long Length => throw new NotSupportedException($"'{this.relativePath}' is being uploaded; its length is known only when it is closed.");

    /// <summary>Readable (bytes written so far) because some writers record offsets; not settable.</summary>
    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException($"'{this.relativePath}' is uploaded as a stream and cannot seek.");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfClosed();
        this.inner.Write(buffer);
        Observe(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        await this.inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span);
    }

    public override void Flush() => this.inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => this.inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An artifact upload stream is write-only.");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException($"'{this.relativePath}' is uploaded as a stream and cannot seek.");
    public override void SetLength(long value) => throw new NotSupportedException($"'{this.relativePath}' is uploaded as a stream; its length is what is written.");

    protected override void Dispose(bool disposing)
    {
        if (disposing && !this.closed)
        {
            this.closed = true;
            Complete(() => { this.inner.Dispose(); return ValueTask.CompletedTask; }).AsTask().GetAwaiter().GetResult();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!this.closed)
        {
            this.closed = true;
            await Complete(this.inner.DisposeAsync).ConfigureAwait(false);
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    // The inner stream is closed first: for blobs that is where the last block is uploaded and the
    // block list committed, so only a file that really reached storage gets an entry.
    private async ValueTask Complete(Func<ValueTask> closeInner)
    {
        try
        {
            await closeInner().ConfigureAwait(false);
        }
        catch
        {
            hash.Dispose();
            this.onClosed(null);
            throw;
        }
        Result = new ArtifactFileEntry(this.relativePath, BytesWritten, Convert.ToHexStringLower(hash.GetHashAndReset()));
        hash.Dispose();
        this.onClosed(Result);
    }

    private void Observe(ReadOnlySpan<byte> written)
    {
        hash.AppendData(written);
        BytesWritten += written.Length;
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(this.closed, this);
}
