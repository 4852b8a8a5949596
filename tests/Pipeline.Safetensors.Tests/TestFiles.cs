using System.Buffers.Binary;
using System.Text;

namespace Pipeline.Safetensors.Tests;

/// <summary>Builds safetensors bytes by hand, including malformed ones.</summary>
internal static class RawSafetensors
{
    /// <summary>8-byte length of the header as given (no padding), the header, then <paramref name="data"/>.</summary>
    public static byte[] Build(string headerJson, ReadOnlySpan<byte> data) => Build(Encoding.UTF8.GetBytes(headerJson), data);

    public static byte[] Build(string headerJson, int dataLength) => Build(headerJson, new byte[dataLength]);

    public static byte[] Build(ReadOnlySpan<byte> header, ReadOnlySpan<byte> data)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file.AsSpan(8));
        data.CopyTo(file.AsSpan(8 + header.Length));
        return file;
    }

    /// <summary>Writes a file through the library's writer into memory.</summary>
    public static byte[] Write(IEnumerable<TensorPayload> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        SafetensorsWriter.Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    /// <summary>Bytes 0, 1, 2, ... (mod 251) so that misplaced data shows up.</summary>
    public static byte[] Pattern(int length, int seed = 0) =>
        Enumerable.Range(0, length).Select(i => (byte)((i + seed * 31) % 251)).ToArray();
}
