using Pipeline.Evaluation.Metrics;

namespace Pipeline.Evaluation.Tests.Metrics;

public sealed class TextMetricsTests
{
    [Fact]
    public void Distinct_n_counts_unique_n_grams_over_all_n_grams()
    {
        // "a b a b": unigrams a, b, a, b (2 distinct of 4); bigrams ab, ba, ab (2 distinct of 3).
        Assert.Equal(0.5, Diversity.DistinctN(["a b a b"], 1), 12);
        Assert.Equal(2.0 / 3, Diversity.DistinctN(["a b a b"], 2), 12);
        // Pooled over replies; no n-gram crosses from one reply to the next.
        Assert.Equal(3.0 / 4, Diversity.DistinctN(["The cat", "the dog!"], 1), 12);
        Assert.Equal(1.0, Diversity.DistinctN(["The cat", "the dog!"], 2), 12);
        Assert.True(double.IsNaN(Diversity.DistinctN(["", "one"], 2)));
    }

    [Fact]
    public void Rouge_l_is_the_f1_of_the_longest_common_subsequence()
    {
        // LCS "the cat on the mat" = 5 words: P = 5/5, R = 5/6, F = 2PR/(P+R) = 10/11.
        Assert.Equal(10.0 / 11, TextOverlap.RougeL("the cat on the mat", "the cat sat on the mat"), 12);
        // a b c d vs a c b d: LCS 3 (a b d or a c d), P = R = ¾.
        Assert.Equal(0.75, TextOverlap.RougeL("a b c d", "a c b d"), 12);
        Assert.Equal(1.0, TextOverlap.RougeL("Hello, World!", "hello world"), 12);
        Assert.Equal(0.0, TextOverlap.RougeL("nothing shared", "at all"), 12);
        Assert.Equal(0.0, TextOverlap.RougeL("", "some words"), 12);
    }

    [Fact]
    public void Exact_match_ignores_case_and_spacing_but_not_words()
    {
        Assert.True(TextOverlap.ExactMatch("  Hello   world ", "hello world"));
        Assert.False(TextOverlap.ExactMatch("hello world.", "hello world"));
    }
}
