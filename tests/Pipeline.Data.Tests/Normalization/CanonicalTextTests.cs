using Pipeline.Data.Normalization;

namespace Pipeline.Data.Tests.Normalization;

public sealed class CanonicalTextTests
{
    [Theory]
    [InlineData("  hello  ", "hello")]
    [InlineData("a\r\nb\rc", "a\nb\nc")]
    [InlineData("a\u2028b", "a\nb")]
    [InlineData("one   two\t\tthree", "one two three")]
    [InlineData("tab\tsingle", "tab single")]
    [InlineData("trailing   \nnext", "trailing\nnext")]
    [InlineData("a\n\n\nb", "a\n\n\nb")]             // two blank lines stay
    [InlineData("a\n\n\n\nb", "a\n\n\nb")]           // three blank lines become two
    [InlineData("a\n \n\t\n  \n\n\nb", "a\n\n\nb")]  // whitespace-only lines are blank lines
    [InlineData("bell\u0007 and nul\0", "bell and nul")]
    [InlineData("zero\u200Bwidth\uFEFF\u2060", "zerowidth")]
    [InlineData("keep\ttabs? no: a\tb", "keep tabs? no: a b")]
    public void Normalizes(string input, string expected) => Assert.Equal(expected, CanonicalText.Normalize(input));

    [Fact]
    public void Composes_to_nfc()
    {
        string decomposed = "Cafe\u0301 A\u030A";

        string normalized = CanonicalText.Normalize(decomposed);

        Assert.Equal("Caf\u00E9 \u00C5", normalized);
    }

    [Fact]
    public void Keeps_leading_indentation_so_code_survives()
    {
        string code = "```python\ndef f(x):\n    return  x   +1\n```";

        Assert.Equal("```python\ndef f(x):\n    return x +1\n```", CanonicalText.Normalize(code));
    }

    [Fact]
    public void Keeps_zero_width_joiners_that_spell_emoji_and_scripts()
    {
        string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";

        Assert.Equal(family, CanonicalText.Normalize(family));
    }

    [Fact]
    public void An_example_is_normalized_in_every_text_and_keeps_its_id_and_source()
    {
        var example = new Example
        {
            Id = "e1",
            Messages = [new ChatMessage("user", " Hi\r\n ")],
            Chosen = "Yes  sir",
            Rejected = "No\u200B",
            Source = new SourceLocation("f", 3),
        };

        var normalized = CanonicalText.Normalize(example);

        Assert.Equal(("e1", "Hi", "Yes sir", "No"), (normalized.Id, normalized.Messages[0].Content, normalized.Chosen, normalized.Rejected));
        Assert.Equal(example.Source, normalized.Source);
    }

    [Fact]
    public void An_already_normal_example_is_returned_as_is()
    {
        var example = new Example { Id = "e", Messages = [new ChatMessage("user", "Fine.")] };

        Assert.Same(example, CanonicalText.Normalize(example));
    }
}
