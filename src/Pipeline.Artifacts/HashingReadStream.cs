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
    private readonly Stream _inner;
    private readonly string _artifactId;
    private readonly ArtifactFileEntry _expected;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _bytesRead;
    private bool _verified;
    private ArtifactCorruptException? _failure;

    public HashingReadStream(Stream inner, string artifactId, ArtifactFileEntry expected)
    {
        _inner = inner;
        _artifactId = artifactId;
        _expected = expected;
    }

    /// <summary>The size the manifest lists; a consumer may use it to pre-size buffers.</summary>
    public long ExpectedLength => _expected.Size;

    /// <summary>True once the end of the stream was reached and the content matched the manifest.</summary>
    public bool IsVerified => _verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException($"'{_expected.Path}' is read as a verifying stream; use ExpectedLength.");

    public override long Position
    {
        get => _bytesRead;
        set => throw new NotSupportedException($"'{_expected.Path}' is read as a verifying stream and cannot seek; download the artifact for random access.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Observe(buffer[..read], requested: buffer.Length);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read], requested: buffer.Length);
        return read;
    }

    private void Observe(ReadOnlySpan<byte> data, int requested)
    {
        if (data.Length > 0)
        {
            _hash.AppendData(data);
            _bytesRead += data.Length;
            if (_bytesRead > _expected.Size)
                throw Corrupt($"is longer than the {_expected.Size} bytes listed in the manifest (read {_bytesRead} so far)");
        }
        else if (requested > 0 && !_verified)
        {
            // End of stream: only now can a truncation or a changed byte be told apart from a slow read.
            _failure ??= VerifyAtEnd();
            if (_failure is not null) throw _failure;
            _verified = true;
        }
    }

    private ArtifactCorruptException? VerifyAtEnd()
    {
        if (_bytesRead != _expected.Size)
            return Corrupt($"has {_bytesRead} bytes but the manifest lists {_expected.Size} (truncated)");
        var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        return string.Equals(actual, _expected.Sha256, StringComparison.Ordinal)
            ? null
            : Corrupt($"has SHA-256 {actual} but the manifest lists {_expected.Sha256} (content changed)");
    }

    private ArtifactCorruptException Corrupt(string problem) => new(_artifactId, _expected.Path, problem);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException($"'{_expected.Path}' is read as a verifying stream and cannot seek.");
    public override void SetLength(long value) => throw new NotSupportedException("A verifying read stream is read-only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A verifying read stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
