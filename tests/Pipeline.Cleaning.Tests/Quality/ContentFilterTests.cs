using Pipeline.Cleaning.Quality;
using static Pipeline.Cleaning.Tests.Quality.Samples;

namespace Pipeline.Cleaning.Tests.Quality;

public sealed class ContentFilterTests
{
    [Fact]
    public void Token_length_counts_every_turn_and_the_longer_pair_side()
    {
        var filter = new TokenLengthFilter(minTokens: 4, maxTokens: 8);

        Assert.True(filter.Check(Chat("one two", "three four")).Keep);                       // 4
        Assert.Equal(DropReasons.TokenLength, filter.Check(Chat("one", "two three")).Reason); // 3
        Assert.Contains("9 tokens", filter.Check(Pair("a b c", "d e", "f g h i j k")).Detail); // 3 + max(2, 6)
    }

    [Fact]
    public void Token_length_uses_the_plugged_in_counter()
    {
        var characters = new TokenLengthFilter(1, 10, countTokens: text => text.Length);

        Assert.Equal(DropReasons.TokenLength, characters.Check(Chat("hello", "world!")).Reason); // 11 "tokens"
        Assert.True(characters.Check(Chat("hi", "yo")).Keep);
    }

    [Fact]
    public void Script_filter_measures_the_fraction_of_allowed_letters()
    {
        var latin = new ScriptFilter([WritingScript.Latin], 0.8);

        Assert.True(latin.Check(Chat("Explain α and β decay.", "Alpha decay emits a helium nucleus; beta decay an electron.")).Keep);
        Assert.Equal(DropReasons.ScriptMismatch, latin.Check(Chat("Привет, как дела?", "Хорошо, спасибо!")).Reason);
        Assert.True(new ScriptFilter([WritingScript.Latin, WritingScript.Cyrillic], 0.8).Check(Chat("Привет, как дела?", "Хорошо, спасибо!")).Keep);
        Assert.True(latin.Check(Chat("1 + 1", "2")).Keep); // no letters: not this filter's business
        Assert.Equal(WritingScript.Han, WritingScripts.Of(new System.Text.Rune('中')));
    }

    [Fact]
    public void Repeated_ngram_fraction_is_repeats_over_all_ngrams()
    {
        Assert.Equal(3.0 / 5, RepeatedNGramFilter.RepeatedFraction(["a", "b", "a", "b", "a", "b"], 2), 12);
        Assert.Equal(0.0, RepeatedNGramFilter.RepeatedFraction(["a", "b"], 3));

        var filter = new RepeatedNGramFilter(3, 0.3);
        var looping = string.Join(' ', Enumerable.Repeat("I will help you with that.", 6));
        Assert.Equal(DropReasons.RepeatedNGrams, filter.Check(Chat("Help?", looping)).Reason);
        Assert.True(filter.Check(Chat(looping, "Here is a short and varied reply that does not loop at all.")).Keep); // users may repeat
    }

    [Fact]
    public void Symbol_ratio_drops_separator_dumps_but_keeps_code()
    {
        var filter = new SymbolRatioFilter(1.0);

        Assert.Equal(DropReasons.SymbolRatio, filter.Check(Chat("Table?", "|---|---|---|\n|===|===|===|")).Reason);
        Assert.Equal(DropReasons.SymbolRatio, filter.Check(Chat("?", "!!!")).Reason);
        Assert.True(filter.Check(Chat("Sum in Python?", "def add(a, b):\n    return a + b")).Keep);
    }

    [Fact]
    public void Mojibake_and_replacement_characters_are_broken_encoding()
    {
        var filter = new BrokenEncodingFilter(0);

        Assert.Equal(DropReasons.BrokenEncoding, filter.Check(Chat("CafÃ© hours?", "Open daily.")).Reason);
        Assert.Equal(DropReasons.BrokenEncoding, filter.Check(Chat("Why?", "Because itâ€™s late.")).Reason);
        Assert.Equal(DropReasons.BrokenEncoding, filter.Check(Chat("Why?", "Because \uFFFD.")).Reason);
        Assert.True(filter.Check(Chat("Café hours in São Paulo?", "It’s open «tous les jours» — Grüße, Ærø.")).Keep);
        Assert.Equal(3, MojibakeDetector.CountMarkers("Ã©tÃ© â€™"));
    }

    [Fact]
    public void Refusal_only_replies_are_dropped_but_partial_refusals_kept()
    {
        var filter = new RefusalOnlyFilter();

        Assert.Equal(DropReasons.RefusalOnly, filter.Check(Chat("Hack it.", "I'm sorry, but I can't help with that. Is there anything else I can help you with?")).Reason);
        Assert.Equal(DropReasons.RefusalOnly, filter.Check(Chat("Opinion?", "As an AI language model, I don’t have personal opinions.")).Reason);
        Assert.Equal(DropReasons.RefusalOnly, filter.Check(Pair("Q?", "I cannot assist with that request.", "Sure: ...")).Reason);
        Assert.True(filter.Check(Chat("Opinion?", "As an AI, I have no opinions. That said, most reviewers prefer the second design because it is cheaper.")).Keep);
        Assert.True(filter.Check(Pair("Q?", "Here is how.", "I'm sorry, I can't.")).Keep); // a rejected refusal is a useful negative
    }
}
