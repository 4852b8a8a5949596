namespace Pipeline.Safetensors.Tests;

public sealed class HalfPrecisionTests
{
    private static float FromBits(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    [Theory]
    [InlineData(0x3F800000u, 0x3F80)] // 1.0, exact
    [InlineData(0xC0200000u, 0xC020)] // -2.5, exact
    [InlineData(0x3F808000u, 0x3F80)] // halfway between 0x3F80 and 0x3F81: ties to even (down)
    [InlineData(0x3F818000u, 0x3F82)] // halfway between 0x3F81 and 0x3F82: ties to even (up)
    [InlineData(0x3F808001u, 0x3F81)] // just above half: up
    [InlineData(0x3F807FFFu, 0x3F80)] // just below half: down
    [InlineData(0x7F7FFFFFu, 0x7F80)] // float.MaxValue rounds up to +infinity
    [InlineData(0x80000000u, 0x8000)] // -0 keeps its sign
    [InlineData(0x00000001u, 0x0000)] // smallest subnormal rounds to 0
    public void Float_to_bfloat16_rounds_to_nearest_even(uint floatBits, int expected) =>
        Assert.Equal((ushort)expected, HalfPrecision.FloatToBFloat16(FromBits(floatBits)));

    [Fact]
    public void Nan_stays_nan_in_bfloat16()
    {
        var bits = HalfPrecision.FloatToBFloat16(FromBits(0x7F800001)); // signalling NaN with low payload only
        Assert.True(float.IsNaN(HalfPrecision.BFloat16ToFloat(bits)));
    }

    [Fact]
    public void Bfloat16_widens_exactly()
    {
        Assert.Equal(1.0f, HalfPrecision.BFloat16ToFloat(0x3F80));
        Assert.Equal(-2.5f, HalfPrecision.BFloat16ToFloat(0xC020));
        Assert.Equal(1.0078125f, HalfPrecision.BFloat16ToFloat(0x3F81)); // 1 + 2^-7
    }

    [Theory]
    [InlineData(1.0f, 0x3C00)]
    [InlineData(65504f, 0x7BFF)]           // largest half
    [InlineData(1.00048828125f, 0x3C00)]   // 1 + 2^-11: halfway, ties to even (down)
    [InlineData(1.00146484375f, 0x3C02)]   // 1 + 3·2^-11: halfway, ties to even (up)
    [InlineData(-0.5f, 0xB800)]
    public void Float_to_half_rounds_to_nearest_even(float value, int expected) =>
        Assert.Equal((ushort)expected, HalfPrecision.FloatToHalf(value));

    [Fact]
    public void Encodes_little_endian_bytes_per_dtype()
    {
        float[] values = [1f, -2f, 0.5f];
        Assert.Equal(new byte[] { 0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3F }, HalfPrecision.Encode(values, SafetensorsDType.BF16));
        Assert.Equal(new byte[] { 0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38 }, HalfPrecision.Encode(values, SafetensorsDType.F16));
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0, 0x3F }, HalfPrecision.Encode(values, SafetensorsDType.F32));
    }

    [Theory]
    [InlineData(SafetensorsDType.F32)]
    [InlineData(SafetensorsDType.F16)]
    [InlineData(SafetensorsDType.BF16)]
    public void Representable_values_round_trip(SafetensorsDType dtype)
    {
        float[] values = [0f, 1f, -1.5f, 0.25f, 96f, -0.0078125f];
        Assert.Equal(values, HalfPrecision.Decode(HalfPrecision.Encode(values, dtype), dtype));
    }

    [Fact]
    public void Rejects_wrong_lengths_and_non_float_dtypes()
    {
        Assert.Throws<ArgumentException>(() => HalfPrecision.Decode(new byte[3], SafetensorsDType.BF16));
        Assert.Throws<ArgumentException>(() => HalfPrecision.Encode([1f], SafetensorsDType.I32));
    }
}
