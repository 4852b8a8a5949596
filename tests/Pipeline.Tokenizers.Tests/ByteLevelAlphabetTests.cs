namespace Pipeline.Tokenizers.Tests;

public sealed class ByteLevelAlphabetTests
{
    [Theory]
    [InlineData((byte)' ', 'Ġ')]   // U+0120: byte 32 is the 33rd non-printable byte → 256 + 32
    [InlineData((byte)'\n', 'Ċ')]  // U+010A: 256 + 10
    [InlineData((byte)'a', 'a')]
    [InlineData((byte)0xAD, '\u0143')]  // 'Ń': soft hyphen, the last of the 68 remapped bytes (256 + 33 + 34)
    [InlineData((byte)0xE9, 'é')]  // printable Latin-1 maps to itself
    public void Maps_bytes_as_gpt2_bytes_to_unicode(byte b, char expected)
    {
        Assert.Equal(expected, ByteLevelAlphabet.ByteToChar(b));
        Assert.True(ByteLevelAlphabet.TryCharToByte(expected, out var back));
        Assert.Equal(b, back);
    }

    [Fact]
    public void Is_a_bijection_on_all_256_bytes()
    {
        var chars = Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.ByteToChar((byte)b)).ToHashSet();
        Assert.Equal(256, chars.Count);
    }

    [Fact]
    public void Encodes_utf8_bytes_of_text()
    {
        // "é" is C3 A9; both bytes are printable Latin-1.
        Assert.Equal("ĠcafÃ©", ByteLevelAlphabet.Encode(" café"));
    }
}
