namespace Pipeline.Safetensors.Tests;

public sealed class SafetensorsRoundTripTests
{
    private static readonly IReadOnlyDictionary<string, string> FormatPt = new Dictionary<string, string> { ["format"] = "pt" };

    [Fact]
    public void Every_dtype_round_trips_through_a_file_with_metadata()
    {
        using var directory = new TempFolder();
        var path = directory.PathOf("all.safetensors");
        var expected = new Dictionary<string, (SafetensorsDType DType, long[] Shape, byte[] Bytes)>();
        var payloads = new List<TensorPayload>();
        var seed = 0;
        foreach (var dtype in SafetensorsDTypes.All)
        {
            long[] shape = [2, 3];
            var bytes = RawSafetensors.Pattern(6 * dtype.ElementSize(), seed++);
            var name = $"layers.{seed}.{dtype.ToHeaderName().ToLowerInvariant()}.weight";
            expected[name] = (dtype, shape, bytes);
            payloads.Add(TensorPayload.FromBytes(name, dtype, shape, bytes));
        }
        payloads.Add(TensorPayload.FromBytes("scalar", SafetensorsDType.F32, [], new byte[] { 0, 0, 0x80, 0x3F }));
        payloads.Add(TensorPayload.FromBytes("empty", SafetensorsDType.BF16, [0, 4], Array.Empty<byte>()));
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["step"] = "1200", ["note"] = "héllo \"quoted\"" };

        SafetensorsWriter.Write(path, payloads, metadata);
        using var file = SafetensorsFile.Open(path);

        Assert.Equal(expected.Count + 2, file.Tensors.Count);
        Assert.Equal(metadata, file.Metadata);
        foreach (var (name, (dtype, shape, bytes)) in expected)
        {
            var info = file.GetInfo(name);
            Assert.Equal(dtype, info.DType);
            Assert.Equal(shape, info.Shape);
            Assert.Equal(bytes.Length, info.ByteLength);
            Assert.Equal(0, info.DataOffset % dtype.ElementSize()); // HF's ordering keeps data aligned
            Assert.Equal(bytes, file.GetBytes(name).ToArray());
        }
        Assert.Equal(1f, BitConverter.ToSingle(file.GetBytes("scalar")));
        Assert.Empty(file.GetInfo("scalar").Shape);
        Assert.Equal(0, file.GetInfo("empty").ByteLength);
        Assert.Equal([0L, 4L], file.GetInfo("empty").Shape);
        Assert.True(file.GetBytes("empty").IsEmpty);
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void Copy_stream_pointer_and_window_access_return_the_same_bytes()
    {
        using var directory = new TempFolder();
        var path = directory.PathOf("access.safetensors");
        var bytes = RawSafetensors.Pattern(4 * 10 * 7, seed: 3);
        SafetensorsWriter.Write(path,
        [
            TensorPayload.FromStream("w", SafetensorsDType.I32, [10, 7], () => new MemoryStream(bytes)),
            TensorPayload.FromWriter("z", SafetensorsDType.U8, [0], _ => { }),
        ], FormatPt);
        using var file = SafetensorsFile.Open(path);

        var copy = new byte[bytes.Length];
        file.CopyTo("w", copy);
        Assert.Equal(bytes, copy);

        using (var stream = file.OpenTensorStream("w"))
        {
            Assert.Equal(bytes.Length, stream.Length);
            var streamed = new MemoryStream();
            stream.CopyTo(streamed);
            Assert.Equal(bytes, streamed.ToArray());
        }
        using (var empty = file.OpenTensorStream("z"))
            Assert.Equal(-1, empty.ReadByte());

        var fromPointer = new byte[bytes.Length];
        System.Runtime.InteropServices.Marshal.Copy(file.GetPointer("w"), fromPointer, 0, bytes.Length);
        Assert.Equal(bytes, fromPointer);
        Assert.Equal(bytes.AsSpan(100, 40).ToArray(), file.GetBytes("w", 100, 40).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetBytes("w", 250, 40).ToArray());
        Assert.Throws<ArgumentException>(() => file.CopyTo("w", new byte[bytes.Length - 1]));
    }

    [Fact]
    public void Unknown_names_and_disposed_files_fail_clearly()
    {
        using var directory = new TempFolder();
        var path = directory.PathOf("one.safetensors");
        SafetensorsWriter.Write(path, [TensorPayload.FromFloats("a", SafetensorsDType.F32, [1], [2f])]);
        var file = SafetensorsFile.Open(path);

        var missing = Assert.Throws<KeyNotFoundException>(() => file.GetInfo("b"));
        Assert.Contains("'b'", missing.Message);
        Assert.Contains("one.safetensors", missing.Message);

        var stream = file.OpenTensorStream("a");
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.GetPointer("a"));
        // A stream has its own view and stays readable after the file is closed.
        var buffer = new byte[4];
        stream.ReadExactly(buffer);
        Assert.Equal(2f, BitConverter.ToSingle(buffer));
        stream.Dispose();
        file.Dispose(); // idempotent
    }

    [Fact]
    public void Writer_rejects_bad_payloads_without_leaving_a_file()
    {
        using var directory = new TempFolder();
        var path = directory.PathOf("bad.safetensors");

        var shortWrite = Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(path,
            [TensorPayload.FromWriter("short", SafetensorsDType.F32, [4], s => s.Write(new byte[12]))]));
        Assert.Contains("'short'", shortWrite.Message);
        Assert.Contains("12 bytes", shortWrite.Message);

        var longWrite = Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(path,
            [TensorPayload.FromWriter("long", SafetensorsDType.F32, [1], s => s.Write(new byte[8]))]));
        Assert.Contains("'long'", longWrite.Message);
        Assert.Empty(directory.FileNames());

        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path,
        [
            TensorPayload.FromFloats("twice", SafetensorsDType.F32, [1], [1f]),
            TensorPayload.FromFloats("twice", SafetensorsDType.F32, [1], [1f]),
        ]));
        Assert.Throws<ArgumentException>(() => TensorPayload.FromBytes("w", SafetensorsDType.F32, [2], new byte[7]));
        Assert.Throws<ArgumentException>(() => TensorPayload.FromBytes("w", SafetensorsDType.F32, [-2], new byte[0]));
        Assert.Throws<ArgumentException>(() => TensorPayload.FromBytes("__metadata__", SafetensorsDType.U8, [0], new byte[0]));
        Assert.Throws<ArgumentException>(() => TensorPayload.FromWriter("huge", SafetensorsDType.F32, [1L << 40, 1L << 40], _ => { }));
        Assert.Empty(directory.FileNames());
    }

    [Fact]
    public void File_length_is_predicted_before_writing()
    {
        TensorPayload[] payloads =
        [
            TensorPayload.FromFloats("x", SafetensorsDType.BF16, [3], [1f, 2f, 3f]),
            TensorPayload.FromBytes("y", SafetensorsDType.U8, [5], new byte[5]),
        ];
        Assert.Equal(RawSafetensors.Write(payloads, FormatPt).Length, SafetensorsWriter.FileLength(payloads, FormatPt));
    }
}
