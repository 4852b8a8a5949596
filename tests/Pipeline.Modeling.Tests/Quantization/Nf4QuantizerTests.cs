using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Quantization;
using Pipeline.Modeling.Tests.Adapters;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Quantization;

public sealed class Nf4QuantizerTests
{
    internal static Tensor Gaussian(long rows, long columns, ulong seed)
    {
        using var generator = new Generator(seed);
        return randn([rows, columns], generator: generator);
    }

    [Fact]
    public void The_levels_are_bitsandbytes_nf4_table()
    {
        var levels = Nf4Quantizer.Levels;
        Assert.Equal(16, levels.Count);
        Assert.Equal(-1f, levels[0]);
        Assert.Equal(0f, levels[7]);                                             // an exact zero
        Assert.Equal(1f, levels[15]);
        Assert.Equal(-0.6961928009986877f, levels[1]);
        Assert.Equal(0.07958029955625534f, levels[8]);
        Assert.Equal(0.7229568362236023f, levels[14]);
        Assert.True(levels.Zip(levels.Skip(1)).All(p => p.First < p.Second));
    }

    [Fact]
    public void The_dynamic_8bit_map_is_bitsandbytes()
    {
        var map = DynamicQuantization.Map;
        Assert.Equal(256, map.Count);
        Assert.True(map.Zip(map.Skip(1)).All(p => p.First < p.Second));
        Assert.Equal(1f, map[255]);
        Assert.Equal(0f, map[127]);                                               // 127 negative codes, zero, 127 positive, one
        Assert.Equal((0.1f + 1f) / 2 * 1e-6f, map[128]);                          // float32: 10⁻⁶ · mean(0.1, 1)
        Assert.Equal(-map[128], map[126]);
        Assert.Equal(1 - 0.9f / 128, map[254], 6);                                // 10⁰ · last midpoint of linspace(0.1, 1, 65)
        Assert.Equal(-map[254], map[0]);                                          // no −1
    }

    [Fact]
    public void Exact_code_values_round_trip_exactly()
    {
        // Every block holds ±1 (absmax 1) and only NF4 levels (which are not symmetric: −0.3379 is not one), so all are representable.
        var levels = Nf4Quantizer.LevelsTensor();
        var weight = cat([levels, levels.flip(0), levels.roll(5), levels.roll(11)], 0).repeat(8).view(16, 32);   // 8 blocks of 64
        foreach (var doubleQuantization in new[] { true, false })
        {
            var quantized = Nf4Quantizer.Quantize(weight, new Nf4Options { DoubleQuantization = doubleQuantization });
            Assert.True(Nf4Quantizer.Dequantize(quantized, ScalarType.Float32).IsIdenticalTo(weight), $"double quantization: {doubleQuantization}");
        }

        // With fp32 scales, blocks scaled by powers of two also come back exactly.
        var scales = tensor(new float[] { 1, 0.5f, 4, 0.125f, 2, 8, 0.25f, 16 }).repeat_interleave(64).view(16, 32);
        var scaled = weight * scales;
        var plain = Nf4Quantizer.Quantize(scaled, new Nf4Options { DoubleQuantization = false });
        Assert.True(Nf4Quantizer.Dequantize(plain, ScalarType.Float32).IsIdenticalTo(scaled));
    }

    [Fact]
    public void Values_go_to_the_nearest_level_ties_to_the_lower()
    {
        var codebook = Nf4Quantizer.LevelsTensor();
        var midpoint = (0f + 0.07958029955625534f) / 2;
        var codes = BlockwiseQuantization.NearestCode(tensor(new[] { 0.039f, 0.041f, midpoint, -0.99f, 0.95f, -0.05f }), codebook);
        Assert.Equal(new long[] { 7, 8, 7, 0, 15, 6 }, codes.data<long>().ToArray());
    }

    [Fact]
    public void Codes_are_packed_two_per_byte_high_nibble_first()
    {
        var packed = Nf4Quantizer.Pack(tensor(new long[] { 1, 2, 15, 0, 7, 9 }));
        Assert.Equal(ScalarType.Byte, packed.dtype);
        Assert.Equal(new byte[] { 0x12, 0xF0, 0x79 }, packed.data<byte>().ToArray());
        Assert.Equal(new long[] { 1, 2, 15, 0, 7, 9 }, Nf4Quantizer.Unpack(packed).data<long>().ToArray());
    }

    [Fact]
    public void Storage_is_half_a_byte_per_weight_plus_the_scales()
    {
        var weight = Gaussian(256, 256, 1);                                       // 65,536 weights, 1,024 blocks
        var doubled = Nf4Quantizer.Quantize(weight);
        Assert.Equal(65_536 / 2, doubled.Packed.numel());
        Assert.Equal(ScalarType.Byte, doubled.Packed.dtype);
        // packed 32,768 + 1,024 one-byte scale codes + 4 fp32 nested scales + one fp32 offset
        Assert.Equal(32_768 + 1_024 + 4 * 4 + 4, doubled.StorageBytes);
        var plain = Nf4Quantizer.Quantize(weight, new Nf4Options { DoubleQuantization = false });
        Assert.Equal(32_768 + 1_024 * 4, plain.StorageBytes);                    // fp32 scales: 0.5625 bytes/weight

        var report = QuantizationReport.Measure(weight, doubled);
        Assert.Equal(33_812.0 / 65_536, report.BytesPerParameter, 10);
        Assert.True(report.BytesPerParameter < 0.6);
        Assert.Equal(65_536L * 4, report.OriginalBytes);
    }

    [Fact]
    public void Reconstruction_error_of_a_gaussian_weight_is_small_and_bounded()
    {
        var weight = Gaussian(128, 256, 2) * 0.02;
        var plain = QuantizationReport.Measure(weight, Nf4Quantizer.Quantize(weight, new Nf4Options { DoubleQuantization = false }));
        var doubled = QuantizationReport.Measure(weight, Nf4Quantizer.Quantize(weight));

        Assert.True(plain.RelativeError < 0.1, plain.ToString());
        Assert.True(doubled.RelativeError < 0.1, doubled.ToString());
        Assert.True(doubled.MeanAbsError < plain.MeanAbsError * 1.02, "8-bit scales should cost almost nothing");
        // No weight can be off by more than half the widest gap between levels (1 − 0.7230) times its block's absmax.
        var largestAbsmax = weight.abs().max().item<float>();
        Assert.True(plain.MaxAbsError <= (1 - 0.7229568362236023) / 2 * largestAbsmax * 1.0001, plain.ToString());
        Assert.Contains("bytes/weight", doubled.ToString());
    }

    [Fact]
    public void Double_quantized_scales_are_close_to_the_fp32_ones()
    {
        var weight = Gaussian(64, 512, 3);                                        // 512 blocks: two nested blocks of 256
        var quantized = Nf4Quantizer.Quantize(weight);
        var exact = weight.flatten().view(-1, 64).abs().amax([1]);
        var decoded = Nf4Quantizer.DequantizeAbsmax(quantized);
        Assert.Equal([512L], decoded.shape);
        Assert.True(((decoded - exact).abs() / exact).max().item<float>() < 0.01);
    }

    [Fact]
    public void A_partial_last_block_and_an_all_zero_block_work()
    {
        var weight = cat([zeros(64), arange(1, 37, dtype: ScalarType.Float32) / 36]).view(4, 25);   // 100 weights: a zero block, then 36
        var quantized = Nf4Quantizer.Quantize(weight, new Nf4Options { DoubleQuantization = false });
        Assert.Equal(2, quantized.Blocks);
        var restored = Nf4Quantizer.Dequantize(quantized, ScalarType.Float32);
        Assert.Equal([4L, 25L], restored.shape);
        Assert.True(restored.flatten()[..64].eq(0).all().item<bool>());
        Assert.Equal(1f, restored.flatten()[99].item<float>());
    }

    [Fact]
    public void Nf4_linear_computes_with_the_dequantized_weight_and_holds_no_trainable_weight()
    {
        var linear = nn.Linear(128, 64);
        var nf4 = Nf4Linear.FromLinear(linear, ScalarType.Float32);
        var x = Gaussian(3, 128, 4);

        var expected = nn.functional.linear(x, Nf4Quantizer.Dequantize(nf4.Weight, ScalarType.Float32), linear.bias);
        Assert.True(nf4.call(x).IsIdenticalTo(expected));
        Assert.Equal(["bias"], nf4.named_parameters().Select(p => p.name));
        Assert.False(nf4.Bias!.requires_grad);
        Assert.Contains("weight_nf4", nf4.named_buffers().Select(b => b.name));
        Assert.Equal(ScalarType.Byte, nf4.named_buffers().First(b => b.name == "weight_nf4").buffer.dtype);

        var bf16 = Nf4Linear.FromLinear(linear, ScalarType.BFloat16);
        var y = bf16.call(x);
        Assert.Equal(ScalarType.Float32, y.dtype);                              // returned in the input's dtype
        Assert.True(AdapterTestModels.MaxAbsDifference(y, expected) < 0.05);
    }

    [Fact]
    public void Converting_the_dtype_converts_the_bias_and_keeps_the_stored_weight()
    {
        var nf4 = Nf4Linear.FromLinear(nn.Linear(128, 64), ScalarType.Float32);
        var before = Nf4Quantizer.Dequantize(nf4.Weight, ScalarType.Float32);

        nf4.to(ScalarType.BFloat16);
        nf4.to(CPU, ScalarType.Float16);

        Assert.Equal(ScalarType.Float16, nf4.Bias!.dtype);
        Assert.All(nf4.named_buffers(), b => Assert.Contains(b.buffer.dtype, new[] { ScalarType.Byte, ScalarType.Float32 }));
        Assert.True(Nf4Quantizer.Dequantize(nf4.Weight, ScalarType.Float32).IsIdenticalTo(before));
        Assert.Equal(4, nf4.named_buffers().Count());                           // codes, scale codes, nested scales, offset
    }
}
