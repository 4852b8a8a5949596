using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Quantization;

/// <summary>
/// bitsandbytes' signed "dynamic" 8-bit data type (create_dynamic_map(signed=True), 7 exponent bits) and
/// its blockwise quantization (quantize_blockwise / dequantize_blockwise), which QLoRA uses for the second
/// level of double quantization. The 256 codes are a sign, a decimal exponent 10⁻⁶ … 10⁰ and a linear fraction
/// whose resolution grows with the exponent (2⁰ … 2⁶ midpoints of linspace(0.1, 1)), plus 0 and 1.
/// </summary>
public static class DynamicQuantization
{
    private const int MaxExponentBits = 7;
    private static readonly Lazy<float[]> LazyMap = new(BuildMap);

    /// <summary>The 256 code values in ascending order (−0.99297 … 1; there is no −1, exactly as in bitsandbytes).</summary>
    public static IReadOnlyList<float> Map => LazyMap.Value;

    /// <summary>The map as a float32 tensor on <paramref name="device"/>.</summary>
    public static Tensor MapTensor(Device? device = null) => tensor(LazyMap.Value, device: device);

    /// <summary>Codes uint8 (n) and absmax float32 (⌈n / blockSize⌉) of a 1-D float tensor.</summary>
    public static (Tensor Codes, Tensor Absmax) Quantize(Tensor values, int blockSize)
    {
        var (codes, absmax) = BlockwiseQuantization.Quantize(values, MapTensor(values.device), blockSize);
        return (codes.narrow(0, 0, values.numel()).to(ScalarType.Byte), absmax);
    }

    /// <summary>map[codes] · absmax of the block, float32 (n).</summary>
    public static Tensor Dequantize(Tensor codes, Tensor absmax, int blockSize)
    {
        var count = codes.numel();
        var padding = absmax.shape[0] * blockSize - count;
        var padded = padding > 0 ? cat([codes.to(ScalarType.Int64), zeros(padding, ScalarType.Int64, codes.device)]) : codes;
        return BlockwiseQuantization.Dequantize(padded, absmax, MapTensor(absmax.device), blockSize, count);
    }

    // bitsandbytes builds the map with torch in float32: linspace, midpoints, then a product with the python
    // scalar 10**e. The same libtorch calls here give the same float32 values bit for bit.
    private static float[] BuildMap()
    {
        using var scope = NewDisposeScope();
        var data = new List<float> { 0f, 1f };
        for (var i = 0; i < MaxExponentBits; i++)
        {
            var boundaries = linspace(0.1, 1, (1 << i) + 1, ScalarType.Float32);            // 2^i + 1 points
            var means = (boundaries[..^1] + boundaries[1..]) / 2.0;                          // 2^i midpoints
            // 10^(i − 6) parsed from its decimal spelling: the correctly rounded double, as python's 10 ** -k is.
            var scale = double.Parse($"1e{i - (MaxExponentBits - 1)}", System.Globalization.CultureInfo.InvariantCulture);
            data.AddRange((means * scale).data<float>().ToArray());
            data.AddRange((means * -scale).data<float>().ToArray());
        }
        data.Sort();
        return [.. data];
    }
}
