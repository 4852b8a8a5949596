namespace Pipeline.Artifacts.Tests.Artifacts;

public sealed class HashingStreamTests
{
    // SHA-256 of "abc" (FIPS 180-2, appendix B.1) and of the empty input.
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly ArtifactFileEntry Abc = new("data/abc.txt", 3, AbcSha256);

    [Fact]
    public async Task Write_stream_hashes_and_counts_what_passes_through_and_reports_once_on_close()
    {
        var inner = new MemoryStream();
        var reported = new List<ArtifactFileEntry?>();
        var stream = new HashingWriteStream(inner, "data/abc.txt", reported.Add);
        stream.WriteByte((byte)'a');
        await stream.WriteAsync("bc"u8.ToArray());
        Assert.Equal(3, stream.Position);

        await stream.DisposeAsync();
        stream.Dispose();

        Assert.Equal([Abc], reported);
        Assert.Equal(Abc, stream.Result);
        Assert.Equal("abc"u8.ToArray(), inner.ToArray());
        Assert.Throws<ObjectDisposedException>(() => stream.Write("d"u8));
    }

    [Fact]
    public void Write_stream_reports_failure_when_the_upload_cannot_be_closed()
    {
        var reported = new List<ArtifactFileEntry?>();
        var stream = new HashingWriteStream(new FailingCloseStream(), "x.bin", reported.Add);
        stream.Write("abc"u8);

        Assert.Throws<IOException>(stream.Dispose);
        Assert.Equal([null], reported);
        Assert.Null(stream.Result);
    }

    [Fact]
    public void Empty_file_has_the_empty_hash()
    {
        ArtifactFileEntry? reported = null;
        new HashingWriteStream(new MemoryStream(), "empty", e => reported = e).Dispose();
        Assert.Equal(new ArtifactFileEntry("empty", 0, EmptySha256), reported);
    }

    [Fact]
    public async Task Read_stream_verifies_matching_content_at_end_of_stream()
    {
        await using var stream = new HashingReadStream(new MemoryStream("abc"u8.ToArray()), "runs/r1/x", Abc);
        var buffer = new byte[2];
        Assert.Equal(2, await stream.ReadAsync(buffer));
        Assert.False(stream.IsVerified);
        Assert.Equal(1, stream.Read(buffer, 0, 2));
        Assert.Equal(0, stream.Read(buffer, 0, 2));
        Assert.True(stream.IsVerified);
        Assert.Equal(3, stream.ExpectedLength);
    }

    [Theory]
    [InlineData("ab", "has 2 bytes but the manifest lists 3 (truncated)")]
    [InlineData("abd", "has SHA-256 ")]
    [InlineData("abcd", "is longer than the 3 bytes listed in the manifest")]
    [InlineData("", "has 0 bytes but the manifest lists 3")]
    public void Read_stream_refuses_content_that_differs_from_the_manifest(string content, string problem)
    {
        using var stream = new HashingReadStream(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(content)), "runs/r1/x", Abc);

        var error = Assert.Throws<ArtifactCorruptException>(() => stream.CopyTo(Stream.Null, 2));
        Assert.Equal("runs/r1/x", error.ArtifactId);
        Assert.Equal("data/abc.txt", error.RelativePath);
        Assert.Contains(problem, error.Message);
        Assert.StartsWith("Artifact 'runs/r1/x' is corrupt: file 'data/abc.txt' ", error.Message);
        // Reading again at the end repeats the same verdict rather than passing.
        if (content.Length <= 3) Assert.Throws<ArtifactCorruptException>(() => stream.ReadByte());
    }

    [Fact]
    public void Altered_content_message_gives_both_hashes()
    {
        using var stream = new HashingReadStream(new MemoryStream("abd"u8.ToArray()), "runs/r1/x", Abc);
        var error = Assert.Throws<ArtifactCorruptException>(() => stream.CopyTo(Stream.Null));
        Assert.Contains($"but the manifest lists {AbcSha256} (content changed)", error.Message);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("abd"u8)), error.Message);
    }

    private sealed class FailingCloseStream : MemoryStream
    {
        protected override void Dispose(bool disposing) => throw new IOException("upload failed");
    }
}
