using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Quantization;

/// <summary>
/// Absmax blockwise quantization onto a codebook, as bitsandbytes does it for NF4 (4-bit) and for the
/// dynamic 8-bit type: the flattened tensor is cut into blocks, each block is divided by its largest
/// magnitude (so it lies in [−1, 1]) and every value becomes the index of the nearest code.
/// All steps are tensor operations on the input's device.
/// </summary>
public static class BlockwiseQuantization
{
    /// <summary>
    /// Quantizes <paramref name="values"/> (any shape, read flattened) in blocks of <paramref name="blockSize"/>.
    /// The last block is padded with zeros (which never change its absmax).
    /// </summary>
    /// <param name="codebook">Sorted ascending code values in [−1, 1], float32.</param>
    /// <returns>Codes: int64 (blocks·blockSize) indices into the codebook; Absmax: float32 (blocks).</returns>
    public static (Tensor Codes, Tensor Absmax) Quantize(Tensor values, Tensor codebook, int blockSize)
    {
        var flat = values.detach().to(ScalarType.Float32).flatten();
        var blocks = BlockCount(flat.numel(), blockSize);
        var padding = blocks * blockSize - flat.numel();
        if (padding > 0) flat = cat([flat, zeros(padding, device: flat.device)]);
        var blocked = flat.view(blocks, blockSize);                                          // (blocks, blockSize)
        var absmax = blocked.abs().amax([1]);                                                // (blocks)
        // bitsandbytes multiplies by the reciprocal; an all-zero block gets scale 0 (so code "0") instead of 0·∞ = NaN.
        var reciprocal = where(absmax > 0, absmax.reciprocal(), zeros_like(absmax));
        var scaled = (blocked * reciprocal.unsqueeze(1)).clamp(-1, 1);                      // (blocks, blockSize)
        return (NearestCode(scaled.flatten(), codebook), absmax);
    }

    /// <summary>codebook[codes] · absmax of each code's block, the first <paramref name="count"/> values, float32.</summary>
    public static Tensor Dequantize(Tensor codes, Tensor absmax, Tensor codebook, int blockSize, long count)
    {
        var blocks = absmax.shape[0];
        var values = codebook.to(absmax.device).index_select(0, codes.to(ScalarType.Int64).flatten());   // (blocks·blockSize)
        return (values.view(blocks, blockSize) * absmax.unsqueeze(1)).flatten().narrow(0, 0, count);
    }

    /// <summary>
    /// Index of the nearest code for each value (int64). Boundaries are the midpoints between neighbouring
    /// codes; a value exactly on one goes to the lower code, as argmin over |x − code| (bitsandbytes' reference
    /// CPU kernel) and the "x &gt; midpoint" tests of its CUDA NF4 kernel do.
    /// </summary>
    public static Tensor NearestCode(Tensor normalized, Tensor codebook)
    {
        var sorted = codebook.to(ScalarType.Float32).to(normalized.device);
        var midpoints = (sorted[..^1] + sorted[1..]) / 2;                                   // (codes − 1)
        return bucketize(normalized.to(ScalarType.Float32).contiguous(), midpoints, right: false);
    }

    public static long BlockCount(long count, int blockSize) => (count + blockSize - 1) / blockSize;
}
