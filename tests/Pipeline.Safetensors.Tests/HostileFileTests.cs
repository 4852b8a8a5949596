using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Safetensors.Tests;

/// <summary>
/// Malformed and malicious files: each is refused with a <see cref="SafetensorsFormatException"/>
/// that names the file (and the tensor when one is at fault), without crashing or allocating what
/// the header claims.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    private readonly TempFolder directory = new();

    public void Dispose() => directory.Dispose();

    private SafetensorsFormatException OpenFails(byte[] bytes, string expectedProblem, string? expectedTensor = null)
    {
        var path = directory.PathOf("hostile.safetensors");
        File.WriteAllBytes(path, bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("hostile.safetensors", error.Message);
        Assert.Equal(path, error.FilePath);
        Assert.Contains(expectedProblem, error.Problem);
        Assert.Equal(expectedTensor, error.TensorName);
        if (expectedTensor is not null)
            Assert.Contains($"'{expectedTensor}'", error.Message);
        // Nothing sized by the header: a few kilobytes of parser state and message text at most.
        Assert.True(allocated < 256 * 1024, $"Opening allocated {allocated} bytes.");
        return error;
    }

    private static byte[] WithLengthPrefix(ulong declared, int actualBytesAfterPrefix)
    {
        var bytes = new byte[8 + actualBytesAfterPrefix];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declared);
        bytes.AsSpan(8).Fill((byte)' ');
        return bytes;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(7)]
    public void Files_shorter_than_the_length_prefix(int length) =>
        OpenFails(new byte[length], "8-byte little-endian header length");

    [Fact]
    public void Header_length_of_two_to_the_sixtieth() =>
        OpenFails(WithLengthPrefix(1UL << 60, 64), "more than the 100000000-byte limit");

    [Fact]
    public void Header_length_with_the_top_bit_set() =>
        OpenFails(WithLengthPrefix(ulong.MaxValue, 64), "limit");

    [Fact]
    public void Header_length_beyond_the_end_of_the_file() =>
        OpenFails(WithLengthPrefix(1000, 50), "only 50 bytes follow");

    [Fact]
    public void Header_that_is_not_utf8() =>
        OpenFails(RawSafetensors.Build(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' }, []), "not valid UTF-8");

    [Theory]
    // Not JSON, not an object
    [InlineData("""{"a": {"dtype": "F32",""", 0, "not valid JSON", null)]
    [InlineData("""{} trailing""", 0, "not valid JSON", null)]
    [InlineData("""[1, 2]""", 0, "must be a JSON object", null)]
    [InlineData("""   """, 0, "not valid JSON", null)]
    [InlineData("""{"a": /* comment */ {}}""", 0, "not valid JSON", null)]
    [InlineData("""{"a": [0, 4]}""", 4, "must be an object with \"dtype\"", "a")]
    // Fields missing or of the wrong JSON type
    [InlineData("""{"a": {"dtype": "F32", "shape": [1]}}""", 4, "lacks \"data_offsets\"", "a")]
    [InlineData("""{"a": {"data_offsets": [0, 4]}}""", 4, "lacks \"dtype\" and \"shape\"", "a")]
    [InlineData("""{"a": {"dtype": 32, "shape": [1], "data_offsets": [0, 4]}}""", 4, "\"dtype\" must be a string", "a")]
    [InlineData("""{"a": {"dtype": "F32", "shape": 1, "data_offsets": [0, 4]}}""", 4, "\"shape\" must be an array", "a")]
    [InlineData("""{"a": {"dtype": "F32", "shape": ["1"], "data_offsets": [0, 4]}}""", 4, "found a string", "a")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}}""", 8, "exactly two integers", "a")]
    [InlineData("""{"a": {"dtype": "F32", "dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}""", 4, "\"dtype\" is given twice", "a")]
    // Dimensions and offsets that are not non-negative integers
    [InlineData("""{"a": {"dtype": "F32", "shape": [-1, 2], "data_offsets": [0, 8]}}""", 8, "non-negative integers", "a")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}""", 4, "found 1.5", "a")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 1e2]}}""", 4, "found 1e2", "a")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}}""", 4, "non-negative", "a")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [18446744073709551616], "data_offsets": [0, 4]}}""", 4, "non-negative integers up to", "a")]
    // Layout
    [InlineData("""{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}""", 4, "reach past the end of the data section, which holds 4 bytes", "a")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}}""", 8, "end before they begin", "a")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""", 12, "overlap tensor 'a'", "b")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}""", 12, "must be contiguous", "b")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}""", 8, "must be contiguous", "a")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}""", 12, "8 trailing bytes belong to no tensor", null)]
    [InlineData("""{"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}""", 8, "needs 12 bytes but data_offsets [0, 8] cover 8", "a")]
    [InlineData("""{"a": {"dtype": "BF16", "shape": [1099511627776, 1099511627776], "data_offsets": [0, 4]}}""", 4, "more bytes than a 64-bit size can count", "a")]
    [InlineData("""{"a": {"dtype": "U8", "shape": [4611686018427387904, 2], "data_offsets": [0, 4]}}""", 4, "64-bit", "a")]
    [InlineData("""{"a": {"dtype": "F64", "shape": [2305843009213693952], "data_offsets": [0, 4]}}""", 4, "64-bit", "a")]
    // Names, dtypes, metadata
    [InlineData("""{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}""", 8, "appears twice", "a")]
    [InlineData("""{"a": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]}}""", 16, "unknown dtype 'F128'; supported dtypes are BOOL, U8, I8", "a")]
    [InlineData("""{"__metadata__": {"step": 1}}""", 0, "value of 'step' must be a string, found a number", null)]
    [InlineData("""{"__metadata__": ["pt"]}""", 0, "must be an object of string values", null)]
    [InlineData("""{"__metadata__": {"format": "pt", "format": "np"}}""", 0, "has the key 'format' twice", null)]
    [InlineData("""{"__metadata__": {}, "__metadata__": {}}""", 0, "appears twice", "__metadata__")]
    [InlineData("""{"\ud800": {"dtype": "U8", "shape": [0], "data_offsets": [0, 0]}}""", 0, "not valid Unicode", null)]
    public void Malformed_headers(string header, int dataLength, string expectedProblem, string? expectedTensor) =>
        OpenFails(RawSafetensors.Build(header, dataLength), expectedProblem, expectedTensor);

    [Fact]
    public void Unknown_dtype_message_lists_every_supported_dtype()
    {
        var error = OpenFails(RawSafetensors.Build("""{"w": {"dtype": "Q4_K", "shape": [1], "data_offsets": [0, 1]}}""", 1),
            "unknown dtype 'Q4_K'", "w");
        foreach (var dtype in SafetensorsDTypes.All)
            Assert.Contains(dtype.ToHeaderName(), error.Message);
    }

    [Fact]
    public void Accepted_oddities_match_upstream()
    {
        // Unknown per-tensor fields are ignored and "__metadata__": null means none, as serde does.
        var file = RawSafetensors.Build(
            """{"__metadata__": null, "a": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2], "extra": {"x": [1]}}}""",
            new byte[] { 7, 9 });
        var header = SafetensorsHeader.Parse(file, "odd.safetensors");
        Assert.Empty(header.Metadata);
        Assert.Equal(2, header.Tensors.Single().ByteLength);
    }

    [Fact]
    public void Header_larger_than_the_cap_is_refused_before_reading_it() =>
        // 100 MB + 1 declared, and the file really is that long: still refused, by the cap.
        Assert.Contains("limit", Assert.Throws<SafetensorsFormatException>(() =>
            SafetensorsHeader.ReadHeaderLength(BitConverter.GetBytes(100_000_001UL), 200_000_000, "big.safetensors")).Message);

    [Fact]
    public void Not_a_safetensors_file_at_all() =>
        OpenFails(Encoding.ASCII.GetBytes("PK\u0003\u0004 this is a zip archive, not tensors"), "limit");
}
