using System.Text;

namespace Pipeline.Safetensors.Tests;

/// <summary>
/// The writer's bytes against bytes written out by hand. The first three cases are the vectors of
/// Hugging Face's own serializer tests (safetensors/src/tensor.rs: test_serialization,
/// test_serialization_forced_alignement, test_empty), so a Python reader accepts these files.
/// </summary>
public sealed class SafetensorsExactBytesTests
{
    private static readonly byte[] ZeroToFiveF32 =
    [
        0x00, 0x00, 0x00, 0x00, // 0f
        0x00, 0x00, 0x80, 0x3F, // 1f
        0x00, 0x00, 0x00, 0x40, // 2f
        0x00, 0x00, 0x40, 0x40, // 3f
        0x00, 0x00, 0x80, 0x40, // 4f
        0x00, 0x00, 0xA0, 0x40, // 5f
    ];

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void Header_already_a_multiple_of_eight_gets_no_padding()
    {
        var actual = RawSafetensors.Write(
            [TensorPayload.FromFloats("attn.0", SafetensorsDType.F32, [1, 2, 3], [0f, 1f, 2f, 3f, 4f, 5f])]);

        var expected = Concat(
            [64, 0, 0, 0, 0, 0, 0, 0],
            Ascii("""{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}"""),
            ZeroToFiveF32);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Header_is_padded_with_spaces_to_a_multiple_of_eight()
    {
        var actual = RawSafetensors.Write(
            [TensorPayload.FromFloats("attn0", SafetensorsDType.F32, [1, 1, 2, 3], [0f, 1f, 2f, 3f, 4f, 5f])]);

        var expected = Concat(
            [72, 0, 0, 0, 0, 0, 0, 0],
            Ascii("""{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}"""),
            Ascii("       "), // 65 bytes of JSON + 7 spaces
            ZeroToFiveF32);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Empty_files_with_and_without_metadata()
    {
        Assert.Equal(Concat([8, 0, 0, 0, 0, 0, 0, 0], Ascii("{}      ")), RawSafetensors.Write([]));

        var withMetadata = RawSafetensors.Write([], new Dictionary<string, string> { ["framework"] = "pt" });
        Assert.Equal(
            Concat([40, 0, 0, 0, 0, 0, 0, 0], Ascii("""{"__metadata__":{"framework":"pt"}}"""), Ascii("     ")),
            withMetadata);
    }

    [Fact]
    public void Tensors_are_ordered_by_descending_alignment_then_name()
    {
        var actual = RawSafetensors.Write(
        [
            TensorPayload.FromBytes("b", SafetensorsDType.F16, [1], new byte[] { 0xB1, 0xB2 }),
            TensorPayload.FromBytes("d", SafetensorsDType.U8, [3], new byte[] { 0xD1, 0xD2, 0xD3 }),
            TensorPayload.FromBytes("a", SafetensorsDType.F16, [1], new byte[] { 0xA1, 0xA2 }),
            TensorPayload.FromBytes("c", SafetensorsDType.F64, [1], new byte[] { 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8 }),
        ]);

        var expected = Concat(
            [224, 0, 0, 0, 0, 0, 0, 0], // 217 bytes of JSON + 7 spaces
            Ascii("""{"c":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"a":{"dtype":"F16","shape":[1],"data_offsets":[8,10]},"b":{"dtype":"F16","shape":[1],"data_offsets":[10,12]},"d":{"dtype":"U8","shape":[3],"data_offsets":[12,15]}}"""),
            Ascii("       "),
            [0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xA1, 0xA2, 0xB1, 0xB2, 0xD1, 0xD2, 0xD3]);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Reads_hand_written_files_including_unpadded_headers_and_unordered_entries()
    {
        // Older writers ordered entries by name only and did not pad; offsets decide the layout.
        var file = RawSafetensors.Build(
            """{"z":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"__metadata__":{"format":"pt"},"a":{"dtype":"I16","shape":[],"data_offsets":[2,4]}}""",
            new byte[] { 1, 2, 0x34, 0x12 });

        var header = SafetensorsHeader.Parse(file, "hand.safetensors");

        var headerLength = file.Length - 12;
        Assert.Equal(["z", "a"], header.Tensors.Select(t => t.Name));
        Assert.Equal(8 + headerLength, header.Tensors[0].DataOffset);
        Assert.Equal(8 + headerLength + 2, header.Tensors[1].DataOffset);
        Assert.Empty(header.Tensors[1].Shape);
        Assert.Equal(1, header.Tensors[1].ElementCount);
        Assert.Equal("pt", header.Metadata["format"]);
    }
}
