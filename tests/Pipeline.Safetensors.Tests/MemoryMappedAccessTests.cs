using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pipeline.Safetensors.Tests;

/// <summary>Tensor bytes are read through the mapping, not copied into managed memory.</summary>
public sealed class MemoryMappedAccessTests
{
    private const int FloatCount = 2 * 1024 * 1024; // 8 MiB of F32

    private static float ValueAt(int i) => (i % 1000) - 500; // exact in float; sum over a period is -500

    [Fact]
    public void Multi_megabyte_tensor_is_summed_through_the_span_without_copying()
    {
        using var directory = new TempFolder();
        var path = directory.PathOf("big.safetensors");
        SafetensorsWriter.Write(path,
        [
            TensorPayload.FromWriter("big", SafetensorsDType.F32, [2048, 1024], stream =>
            {
                // Streamed in 64 KiB chunks: the writer never needs the whole tensor in memory either.
                var chunk = new byte[64 * 1024];
                for (var start = 0; start < FloatCount; start += chunk.Length / 4)
                {
                    for (var j = 0; j < chunk.Length / 4; j++)
                        BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(j * 4), ValueAt(start + j));
                    stream.Write(chunk);
                }
            }),
            TensorPayload.FromFloats("small", SafetensorsDType.BF16, [2], [1.5f, -3f]),
        ]);
        Assert.True(new FileInfo(path).Length > FloatCount * 4L);

        using var file = SafetensorsFile.Open(path);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var floats = MemoryMarshal.Cast<byte, float>(file.GetBytes("big"));
        double sum = 0;
        float lastValue = 0;
        foreach (var value in floats)
            sum += value;
        lastValue = floats[^1];
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(FloatCount, floats.Length);
        // 2097 full periods of 1000 (each summing to -500) plus 0..151 of the next: -500·2097 + Σ(i-500, i<152).
        var expected = -500.0 * (FloatCount / 1000) + Enumerable.Range(0, FloatCount % 1000).Sum(i => (double)(i - 500));
        Assert.Equal(expected, sum);
        Assert.Equal(ValueAt(FloatCount - 1), lastValue);
        Assert.True(allocated < 4096, $"Reading the tensor allocated {allocated} bytes; it should not copy 8 MiB.");

        Assert.Equal([1.5f, -3f], HalfPrecision.Decode(file.GetBytes("small"), SafetensorsDType.BF16));
    }

    [Fact]
    public void Pointer_addresses_the_same_bytes_as_the_span()
    {
        using var directory = new TempFolder();
        var path = directory.PathOf("pointer.safetensors");
        var bytes = RawSafetensors.Pattern(4096, seed: 5);
        SafetensorsWriter.Write(path, [TensorPayload.FromBytes("t", SafetensorsDType.U8, [4096], bytes)]);
        using var file = SafetensorsFile.Open(path);

        var pointer = file.GetPointer("t");
        Assert.Equal(bytes[0], Marshal.ReadByte(pointer));
        Assert.Equal(bytes[4095], Marshal.ReadByte(pointer, 4095));
        // The span's first byte is the pointer's byte: both view the same mapping.
        Assert.Equal(pointer, AddressOf(file.GetBytes("t")));
    }

    private static unsafe nint AddressOf(ReadOnlySpan<byte> span)
    {
        fixed (byte* first = span)
            return (nint)first;
    }
}
