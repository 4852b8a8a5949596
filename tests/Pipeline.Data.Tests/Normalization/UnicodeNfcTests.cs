using Pipeline.Data.Normalization;

namespace Pipeline.Data.Tests.Normalization;

/// <summary>
/// Cases from the Unicode standard. (The implementation was also checked against Python's unicodedata for every code
/// point and 50 000 random mark sequences when it was written.)
/// </summary>
public sealed class UnicodeNfcTests
{
    [Theory]
    [InlineData("e\u0301", "\u00E9")]                 // e + acute → é
    [InlineData("A\u030A", "\u00C5")]                 // A + ring → Å
    [InlineData("\u212B", "\u00C5")]                  // ANGSTROM SIGN is a singleton: → Å
    [InlineData("s\u0307\u0323", "\u1E69")]           // dot above + dot below: reordered (220 before 230), then composed
    [InlineData("q\u0307\u0323", "q\u0323\u0307")]    // no precomposed q: only reordered
    [InlineData("\u0958", "\u0915\u093C")]            // DEVANAGARI QA is a composition exclusion
    [InlineData("\u1100\u1161", "\uAC00")]            // Hangul L + V → 가
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]      // Hangul L + V + T → 각
    [InlineData("a\u0301\u0301", "\u00E1\u0301")]     // the second acute is blocked by the first
    [InlineData("plain ASCII", "plain ASCII")]
    public void Composes_canonically(string input, string expected) => Assert.Equal(expected, UnicodeNfc.Normalize(input));

    [Fact]
    public void Text_already_in_nfc_is_returned_as_the_same_instance()
    {
        string text = "Grüße, 東京 \U0001F600";

        Assert.Same(text, UnicodeNfc.Normalize(text));
    }
}
