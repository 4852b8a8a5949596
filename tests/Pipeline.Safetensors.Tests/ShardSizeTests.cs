namespace Pipeline.Safetensors.Tests;

public sealed class ShardSizeTests
{
    [Theory]
    [InlineData("5GB", 5_000_000_000L)]
    [InlineData("10MB", 10_000_000L)]
    [InlineData("100KB", 100_000L)]
    [InlineData("2GiB", 2_147_483_648L)]
    [InlineData("512MiB", 536_870_912L)]
    [InlineData("0.5GB", 500_000_000L)]
    [InlineData("5 gb", 5_000_000_000L)]
    [InlineData("1234", 1234L)]
    [InlineData("64B", 64L)]
    public void Parses_hugging_face_sizes(string text, long bytes) => Assert.Equal(bytes, ShardSize.Parse(text));

    [Theory]
    [InlineData("five")]
    [InlineData("0")]
    [InlineData("-5GB")]
    [InlineData("5XB")]
    [InlineData("")]
    public void Rejects_nonsense(string text)
    {
        var error = Assert.Throws<FormatException>(() => ShardSize.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void Default_is_five_decimal_gigabytes() =>
        Assert.Equal(ShardSize.Parse("5GB"), new ShardedWriteOptions().MaxShardSizeBytes);
}
