namespace Pipeline.Safetensors;

/// <summary>
/// One tensor of a safetensors file: where its little-endian, C-ordered bytes lie.
/// </summary>
/// <param name="Name">The key in the header (a Hugging Face parameter name such as "model.embed_tokens.weight").</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions, outermost first; empty for a scalar. Treat as read-only.</param>
/// <param name="DataOffset">Absolute offset of the first byte in the file (8 + header length + begin).</param>
/// <param name="ByteLength">Number of bytes; always element count × element size.</param>
public sealed record TensorInfo(string Name, SafetensorsDType DType, long[] Shape, long DataOffset, long ByteLength)
{
    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount => ByteLength / DType.ElementSize();

    /// <summary>"[2, 3]": for messages.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public override string ToString() => $"{Name} {DType} {ShapeText} @{DataOffset}+{ByteLength}";
}
