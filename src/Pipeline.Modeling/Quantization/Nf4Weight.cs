using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Quantization;

/// <summary>
/// A weight stored in NF4: the tensors that hold it and what they mean. The tensors are owned by whoever
/// registered them (an <see cref="Nf4Linear"/>'s buffers), not by this view.
/// </summary>
/// <param name="Shape">Shape of the original weight, e.g. (out, in).</param>
/// <param name="BlockSize">Weights per absmax (64).</param>
/// <param name="Packed">uint8 (blocks·blockSize/2): two 4-bit codes per byte, the first in the high nibble (bitsandbytes' order).</param>
/// <param name="Absmax">float32 (blocks) scales, when the scales are not double-quantized; else null.</param>
/// <param name="AbsmaxCodes">uint8 (blocks): dynamic 8-bit codes of absmax − offset, when double-quantized.</param>
/// <param name="NestedAbsmax">float32 (⌈blocks / scaleBlockSize⌉): the scales of <paramref name="AbsmaxCodes"/>.</param>
/// <param name="AbsmaxOffset">float32 (1): the mean absmax, subtracted before the 8-bit quantization.</param>
/// <param name="ScaleBlockSize">Scales per nested absmax (256).</param>
public sealed record Nf4Weight(
    long[] Shape,
    int BlockSize,
    Tensor Packed,
    Tensor? Absmax,
    Tensor? AbsmaxCodes,
    Tensor? NestedAbsmax,
    Tensor? AbsmaxOffset,
    int ScaleBlockSize)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public long Blocks => BlockwiseQuantization.BlockCount(ElementCount, BlockSize);

    public bool IsDoubleQuantized => AbsmaxCodes is not null;

    /// <summary>Bytes the stored tensors take: about 0.5 per weight plus the scales.</summary>
    public long StorageBytes =>
        new[] { Packed, Absmax, AbsmaxCodes, NestedAbsmax, AbsmaxOffset }.Sum(t => t is null ? 0 : t.numel() * t.ElementSize);
}
