using System.Security.Cryptography;

namespace Pipeline.Artifacts;

/// <summary>
/// Read-only stream that verifies a file against its manifest entry while it is read: it hashes
/// every byte, fails as soon as more bytes arrive than the manifest lists, and at end of stream
/// fails if the size or SHA-256 differs. A caller that reads to the end has therefore read exactly
/// the committed bytes; one that stops early has verified nothing.
/// </summary>
public sealed class HashingReadStream : Stream
{
    private readonly Stream inner;
    private readonly string artifactId;
    private readonly ArtifactFileEntry expected;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long bytesRead;
    private bool verified;
    private ArtifactCorruptException? failure;

    public HashingReadStream(Stream inner, string artifactId, ArtifactFileEntry expected)
    {
        this.inner = inner;
        this.artifactId = artifactId;
        this.expected = expected;
    }

    /// <summary>The size the manifest lists; a consumer may use it to pre-size buffers.</summary>
    public long ExpectedLength => this.expected.Size;

    /// <summary>True once the end of the stream was reached and the content matched the manifest.</summary>
    public bool IsVerified => this.verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException($"'{this.expected.Path}' is read as a verifying stream; use ExpectedLength.");

    public override long Position
    {
        get => bytesRead;
        set => throw new NotSupportedException($"'{this.expected.Path}' is read as a verifying stream and cannot seek; download the artifact for random access.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = this.inner.Read(buffer);
        Observe(buffer[..read], requested: buffer.Length);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await this.inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read], requested: buffer.Length);
        return read;
    }

    private void Observe(ReadOnlySpan<byte> data, int requested)
    {
        if (data.Length > 0)
        {
            hash.AppendData(data);
            bytesRead += data.Length;
            if (bytesRead > this.expected.Size)
                throw Corrupt($"is longer than the {this.expected.Size} bytes listed in the manifest (read {bytesRead} so far)");
        }
        else if (requested > 0 && !this.verified)
        {
            // End of stream: only now can a truncation or a changed byte be told apart from a slow read.
            failure ??= VerifyAtEnd();
            if (failure is not null) throw failure;
            this.verified = true;
        }
    }

    private ArtifactCorruptException? VerifyAtEnd()
    {
        if (bytesRead != this.expected.Size)
            return Corrupt($"has {bytesRead} bytes but the manifest lists {this.expected.Size} (truncated)");
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        return string.Equals(actual, this.expected.Sha256, StringComparison.Ordinal)
            ? null
            : Corrupt($"has SHA-256 {actual} but the manifest lists {this.expected.Sha256} (content changed)");
    }

    private ArtifactCorruptException Corrupt(string problem) => new(this.artifactId, this.expected.Path, problem);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException($"'{this.expected.Path}' is read as a verifying stream and cannot seek.");
    public override void SetLength(long value) => throw new NotSupportedException("A verifying read stream is read-only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A verifying read stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            this.inner.Dispose();
            hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
