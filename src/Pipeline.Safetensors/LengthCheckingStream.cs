namespace Pipeline.Safetensors;

/// <summary>
/// Write-only pass-through that refuses to let a tensor's data callback write more bytes than the
/// header promised, and reports how many it wrote, so a wrong callback cannot corrupt the layout.
/// </summary>
internal sealed class LengthCheckingStream(Stream inner, string tensorName, long expectedLength) : Stream
{
    public long Written { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Written;
    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length > expectedLength - Written)
            throw new InvalidOperationException(
                $"The data for tensor '{tensorName}' is longer than the {expectedLength} bytes its dtype and shape declare.");
        inner.Write(buffer);
        Written += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
