using Pipeline.Cleaning.NearDuplicates;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

public sealed class Fnv1a64Tests
{
    // Reference values of FNV-1a 64 from the FNV test suite (and Python's reference loop for the UTF-8 case).
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    [InlineData("héllo wörld", 0x11824ab841812022UL)]
    public void Text_hash_matches_the_reference_over_utf8(string text, ulong expected)
    {
        Assert.Equal(expected, Fnv1a64.Hash(text.AsSpan()));
        Assert.Equal(expected, Fnv1a64.Hash(System.Text.Encoding.UTF8.GetBytes(text)));
    }
}
