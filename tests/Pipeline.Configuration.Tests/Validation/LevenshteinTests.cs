using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Tests.Validation;

public sealed class LevenshteinTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]   // k→s, e→i, +g
    [InlineData("flaw", "lawn", 2)]         // -f, +n
    [InlineData("learnin_rate", "learning_rate", 1)]
    [InlineData("ab", "ba", 2)]             // no transpositions: two substitutions
    [InlineData("lora", "lora", 0)]
    public void Distance_counts_insertions_deletions_and_substitutions(string a, string b, int expected)
    {
        Assert.Equal(expected, Levenshtein.Distance(a, b));
        Assert.Equal(expected, Levenshtein.Distance(b, a));
    }

    [Theory]
    [InlineData("ab", "ba", 1)]
    [InlineData("laerning_rate", "learning_rate", 1)]
    [InlineData("elarning", "learning", 1)]
    [InlineData("ca", "abc", 3)]            // optimal string alignment: a transposed pair is not edited again
    [InlineData("kitten", "sitting", 3)]
    public void Damerau_distance_counts_an_adjacent_swap_as_one_edit(string a, string b, int expected)
    {
        Assert.Equal(expected, Levenshtein.DamerauDistance(a, b));
        Assert.Equal(expected, Levenshtein.DamerauDistance(b, a));
    }

    [Fact]
    public void Damerau_distance_is_never_more_than_levenshtein()
    {
        string[] words = ["seed", "sede", "esed", "learning_rate", "lr", "lora", "qlora", "olra", "", "x"];
        foreach (var a in words)
        foreach (var b in words)
            Assert.True(Levenshtein.DamerauDistance(a, b) <= Levenshtein.Distance(a, b), $"{a} / {b}");
    }
}
