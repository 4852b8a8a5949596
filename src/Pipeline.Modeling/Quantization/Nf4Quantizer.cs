using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Quantization;

/// <summary>
/// 4-bit NormalFloat (NF4) quantization of QLoRA (Dettmers et al. 2023) with bitsandbytes' code values and
/// layout: absmax per block of 64 weights (flattened row-major), the nearest of 16 levels that are quantiles
/// of N(0, 1) scaled to [−1, 1] with an exact zero, two codes per byte. With double quantization the fp32
/// block scales are themselves stored as bitsandbytes does: offset = mean(absmax), then absmax − offset in
/// blockwise dynamic 8-bit (block size 256), each block keeping one fp32 scale.
/// </summary>
public static class Nf4Quantizer
{
    // bitsandbytes functional.get_4bit_type("nf4") (also the table in its CUDA kernels), as float32.
    private static readonly float[] LevelValues =
    [
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    ];

    // For each byte value b: (levels[b >> 4], levels[b & 15]), so one gather decodes both nibbles of a byte.
    private static readonly float[] PairTable = [.. Enumerable.Range(0, 256).SelectMany(b => new[] { LevelValues[b >> 4], LevelValues[b & 15] })];

    /// <summary>The 16 NF4 code values in ascending order (index = code).</summary>
    public static IReadOnlyList<float> Levels => LevelValues;

    public static Tensor LevelsTensor(Device? device = null) => tensor(LevelValues, device: device);

    /// <summary>Quantizes a weight of any shape (on its own device) to NF4.</summary>
    public static Nf4Weight Quantize(Tensor weight, Nf4Options? options = null)
    {
        options ??= new Nf4Options();
        options.Validate();
        using var scope = NewDisposeScope();
        var (codes, absmax) = BlockwiseQuantization.Quantize(weight, LevelsTensor(weight.device), options.BlockSize);
        var packed = Pack(codes).MoveToOuterDisposeScope();
        if (!options.DoubleQuantization)
            return new Nf4Weight(weight.shape, options.BlockSize, packed, absmax.MoveToOuterDisposeScope(), null, null, null, options.ScaleBlockSize);

        // The scales are all positive and cluster around their mean: centring them first lets the signed
        // 8-bit code spend its resolution on the spread rather than on the common magnitude.
        var offset = absmax.mean().reshape(1);
        var (absmaxCodes, nestedAbsmax) = DynamicQuantization.Quantize(absmax - offset, options.ScaleBlockSize);
        return new Nf4Weight(weight.shape, options.BlockSize, packed, null,
            absmaxCodes.MoveToOuterDisposeScope(), nestedAbsmax.MoveToOuterDisposeScope(), offset.MoveToOuterDisposeScope(), options.ScaleBlockSize);
    }

    /// <summary>The block scales as float32 (blocks): stored directly, or decoded from 8 bits plus the offset.</summary>
    public static Tensor DequantizeAbsmax(Nf4Weight weight) =>
        weight.Absmax is { } absmax
            ? absmax.to(ScalarType.Float32)
            : DynamicQuantization.Dequantize(weight.AbsmaxCodes!, weight.NestedAbsmax!, weight.ScaleBlockSize) + weight.AbsmaxOffset!;

    /// <summary>
    /// The weight in <paramref name="dtype"/>, shaped as the original: level · absmax computed in float32 (as
    /// bitsandbytes' kernel does) and rounded once to the target dtype. One gather over the packed bytes.
    /// </summary>
    public static Tensor Dequantize(Nf4Weight weight, ScalarType dtype)
    {
        var device = weight.Packed.device;
        var absmax = DequantizeAbsmax(weight);                                                    // (blocks)
        var pairs = tensor(PairTable, device: device).view(256, 2)
            .index_select(0, weight.Packed.to(ScalarType.Int32));                                  // (blocks·blockSize/2, 2)
        var values = pairs.view(weight.Blocks, weight.BlockSize) * absmax.unsqueeze(1);           // (blocks, blockSize)
        return values.flatten().narrow(0, 0, weight.ElementCount).view(weight.Shape).to(dtype);
    }

    /// <summary>int codes 0…15 of even length → uint8 bytes, the first code of each pair in the high nibble.</summary>
    public static Tensor Pack(Tensor codes)
    {
        if (codes.numel() % 2 != 0)
            throw new ArgumentException($"Packing needs an even number of 4-bit codes; got {codes.numel()}.", nameof(codes));
        var pairs = codes.to(ScalarType.Int32).view(-1, 2);                                      // (n/2, 2)
        return (pairs[.., 0] * 16 + pairs[.., 1]).to(ScalarType.Byte);
    }

    /// <summary>uint8 bytes → int64 codes (twice as many), high nibble first.</summary>
    public static Tensor Unpack(Tensor packed)
    {
        var bytes = packed.to(ScalarType.Int64);
        return stack([bytes.div(16, RoundingMode.floor), bytes.remainder(16)], dim: 1).flatten();   // (2n)
    }
}
