using System.Buffers.Binary;

namespace Pipeline.Safetensors;

/// <summary>
/// Conversions between float values and the little-endian bytes of F32, F16 and BF16 tensors,
/// for building and checking tensors without TorchSharp. Narrowing rounds to nearest, ties to even.
/// </summary>
public static class HalfPrecision
{
    /// <summary>float → bfloat16 bits, rounding to nearest even (as torch does); NaN stays a quiet NaN.</summary>
    public static ushort FloatToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits >> 16) | 0x0040); // keep the sign, force the quiet bit so it stays NaN
        // Adding 0x7FFF plus the lowest kept bit rounds the dropped half to nearest, ties to even;
        // a carry out of the mantissa correctly bumps the exponent (and overflows to infinity).
        var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    /// <summary>bfloat16 bits → float (exact: bfloat16 is the top half of a float).</summary>
    public static float BFloat16ToFloat(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>float → IEEE half bits (round to nearest even, via <see cref="Half"/>).</summary>
    public static ushort FloatToHalf(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>IEEE half bits → float (exact).</summary>
    public static float HalfToFloat(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>Bytes per element of the float encodings this class handles.</summary>
    public static int BytesPerElement(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        _ => throw Unsupported(dtype),
    };

    /// <summary>Encodes <paramref name="values"/> as little-endian F32, F16 or BF16 bytes.</summary>
    public static void Encode(ReadOnlySpan<float> values, SafetensorsDType dtype, Span<byte> destination)
    {
        var size = BytesPerElement(dtype);
        if (destination.Length != values.Length * size)
            throw new ArgumentException(
                $"{values.Length} {dtype} values need {values.Length * size} bytes, the destination holds {destination.Length}.",
                nameof(destination));
        for (var i = 0; i < values.Length; i++)
        {
            var slot = destination.Slice(i * size, size);
            switch (dtype)
            {
                case SafetensorsDType.F32: BinaryPrimitives.WriteSingleLittleEndian(slot, values[i]); break;
                case SafetensorsDType.F16: BinaryPrimitives.WriteUInt16LittleEndian(slot, FloatToHalf(values[i])); break;
                default: BinaryPrimitives.WriteUInt16LittleEndian(slot, FloatToBFloat16(values[i])); break;
            }
        }
    }

    /// <summary>Encodes into a new array.</summary>
    public static byte[] Encode(ReadOnlySpan<float> values, SafetensorsDType dtype)
    {
        var bytes = new byte[values.Length * BytesPerElement(dtype)];
        Encode(values, dtype, bytes);
        return bytes;
    }

    /// <summary>Decodes little-endian F32, F16 or BF16 bytes into floats (exact widening).</summary>
    public static void Decode(ReadOnlySpan<byte> bytes, SafetensorsDType dtype, Span<float> destination)
    {
        var size = BytesPerElement(dtype);
        if (bytes.Length % size != 0 || destination.Length != bytes.Length / size)
            throw new ArgumentException(
                $"{bytes.Length} bytes of {dtype} do not decode into {destination.Length} floats.", nameof(destination));
        for (var i = 0; i < destination.Length; i++)
        {
            var slot = bytes.Slice(i * size, size);
            destination[i] = dtype switch
            {
                SafetensorsDType.F32 => BinaryPrimitives.ReadSingleLittleEndian(slot),
                SafetensorsDType.F16 => HalfToFloat(BinaryPrimitives.ReadUInt16LittleEndian(slot)),
                _ => BFloat16ToFloat(BinaryPrimitives.ReadUInt16LittleEndian(slot)),
            };
        }
    }

    /// <summary>Decodes into a new array.</summary>
    public static float[] Decode(ReadOnlySpan<byte> bytes, SafetensorsDType dtype)
    {
        var size = BytesPerElement(dtype);
        if (bytes.Length % size != 0)
            throw new ArgumentException($"{bytes.Length} bytes are not a whole number of {dtype} values.", nameof(bytes));
        var values = new float[bytes.Length / size];
        Decode(bytes, dtype, values);
        return values;
    }

    private static ArgumentException Unsupported(SafetensorsDType dtype) =>
        new($"HalfPrecision converts F32, F16 and BF16 only, not {dtype}.", nameof(dtype));
}
