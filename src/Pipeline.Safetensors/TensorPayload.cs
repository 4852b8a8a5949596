namespace Pipeline.Safetensors;

/// <summary>
/// A tensor to be written: its name, dtype, shape and a way to produce its bytes when the writer
/// reaches it, so that a file is streamed to disk without holding all tensors' bytes at once.
/// </summary>
public sealed class TensorPayload
{
    private readonly Action<Stream> writeData;

    private TensorPayload(string name, SafetensorsDType dtype, long[] shape, Action<Stream> writeData)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == SafetensorsHeaderJson.MetadataKey)
            throw new ArgumentException($"'{name}' is reserved for the file's metadata and cannot name a tensor.", nameof(name));
        if (!Enum.IsDefined(dtype))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype.");
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape [{string.Join(", ", shape)}].", nameof(shape));
        Name = name;
        DType = dtype;
        Shape = shape.ToArray();
        ByteLength = SafetensorsHeader.CheckedByteLength(shape, dtype)
            ?? throw new ArgumentException($"Tensor '{name}' of shape [{string.Join(", ", shape)}] has too many bytes to count.", nameof(shape));
        this.writeData = writeData;
    }

    public string Name { get; }
    public SafetensorsDType DType { get; }
    public long[] Shape { get; }

    /// <summary>Element count × element size: exactly what the data must supply.</summary>
    public long ByteLength { get; }

    /// <summary>Bytes already in memory; their length must equal ByteLength.</summary>
    public static TensorPayload FromBytes(string name, SafetensorsDType dtype, long[] shape, ReadOnlyMemory<byte> data)
    {
        var payload = new TensorPayload(name, dtype, shape, destination => destination.Write(data.Span));
        if (data.Length != payload.ByteLength)
            throw new ArgumentException(
                $"Tensor '{name}' ({dtype} [{string.Join(", ", shape)}]) needs {payload.ByteLength} bytes, {data.Length} given.", nameof(data));
        return payload;
    }

    /// <summary>Float values encoded as F32, F16 or BF16 (round to nearest even).</summary>
    public static TensorPayload FromFloats(string name, SafetensorsDType dtype, long[] shape, ReadOnlySpan<float> values) =>
        FromBytes(name, dtype, shape, HalfPrecision.Encode(values, dtype));

    /// <summary>A stream opened when the writer needs it (and disposed after); it must supply exactly ByteLength bytes.</summary>
    public static TensorPayload FromStream(string name, SafetensorsDType dtype, long[] shape, Func<Stream> openData) =>
        new(name, dtype, shape, destination =>
        {
            using var source = openData();
            source.CopyTo(destination);
        });

    /// <summary>
    /// A callback that writes the bytes itself (e.g. from a TorchSharp tensor's storage); it must write
    /// exactly ByteLength bytes.
    /// </summary>
    public static TensorPayload FromWriter(string name, SafetensorsDType dtype, long[] shape, Action<Stream> writeData) =>
        new(name, dtype, shape, writeData);

    internal void WriteTo(Stream destination)
    {
        var checkedDestination = new LengthCheckingStream(destination, Name, ByteLength);
        writeData(checkedDestination);
        if (checkedDestination.Written != ByteLength)
            throw new InvalidOperationException(
                $"The data for tensor '{Name}' supplied {checkedDestination.Written} bytes, but {DType} [{string.Join(", ", Shape)}] needs {ByteLength}.");
    }
}
