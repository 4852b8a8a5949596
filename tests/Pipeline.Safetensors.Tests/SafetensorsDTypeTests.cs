namespace Pipeline.Safetensors.Tests;

public sealed class SafetensorsDTypeTests
{
    [Theory]
    [InlineData(SafetensorsDType.BOOL, 1)]
    [InlineData(SafetensorsDType.U8, 1)]
    [InlineData(SafetensorsDType.I8, 1)]
    [InlineData(SafetensorsDType.F8_E5M2, 1)]
    [InlineData(SafetensorsDType.F8_E4M3, 1)]
    [InlineData(SafetensorsDType.F8_E8M0, 1)]
    [InlineData(SafetensorsDType.I16, 2)]
    [InlineData(SafetensorsDType.U16, 2)]
    [InlineData(SafetensorsDType.F16, 2)]
    [InlineData(SafetensorsDType.BF16, 2)]
    [InlineData(SafetensorsDType.I32, 4)]
    [InlineData(SafetensorsDType.U32, 4)]
    [InlineData(SafetensorsDType.F32, 4)]
    [InlineData(SafetensorsDType.C64, 8)]
    [InlineData(SafetensorsDType.F64, 8)]
    [InlineData(SafetensorsDType.I64, 8)]
    [InlineData(SafetensorsDType.U64, 8)]
    public void Element_sizes_match_the_format(SafetensorsDType dtype, int size)
    {
        Assert.Equal(size, dtype.ElementSize());
        Assert.True(SafetensorsDTypes.TryParse(dtype.ToHeaderName(), out var parsed));
        Assert.Equal(dtype, parsed);
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("FLOAT32")]
    [InlineData("12")]
    [InlineData("F4")]
    [InlineData("")]
    public void Parsing_is_exact_and_case_sensitive(string name) =>
        Assert.False(SafetensorsDTypes.TryParse(name, out _));

    [Fact]
    public void All_lists_every_dtype_in_increasing_alignment()
    {
        Assert.Equal(17, SafetensorsDTypes.All.Count);
        var sizes = SafetensorsDTypes.All.Select(d => d.ElementSize()).ToArray();
        Assert.Equal(sizes.Order(), sizes);
    }
}
