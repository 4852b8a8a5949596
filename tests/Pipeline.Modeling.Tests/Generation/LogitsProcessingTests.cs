using Pipeline.Modeling.Generation;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Generation;

/// <summary>The nucleus found on a slice of the vocabulary is <see cref="LogitsProcessing.TopP"/>'s, on every row.</summary>
public sealed class LogitsProcessingTests
{
    // Row 0 peaked: 0.6, 0.25, 0.1, then five of 0.01 → the nucleus of p 0.9 is the first three tokens.
    // Row 1 flat: eight of 0.125 → the nucleus of p 0.9 is all eight (the top 3 hold 0.375 < 0.9: the top slice cannot decide).
    // Row 2 a tail: 0.32, 0.3, 0.3, 0.04, 0.02, 0.01, 0.005, 0.005 → p 0.9 keeps the first three (the mass before the fourth is 0.92).
    private static Tensor HandMade() => log(tensor(new float[]
    {
        0.01f, 0.6f, 0.01f, 0.1f, 0.01f, 0.25f, 0.01f, 0.01f,
        0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f,
        0.005f, 0.32f, 0.02f, 0.3f, 0.04f, 0.005f, 0.3f, 0.01f,
    }, [3, 8]));

    private static bool[] Kept(Tensor filtered) => filtered.isfinite().data<bool>().ToArray();

    [Fact]
    public void A_slice_of_the_most_likely_tokens_gives_the_full_filter_and_falls_back_where_the_nucleus_is_wider()
    {
        using var logits = HandMade();
        var full = LogitsProcessing.TopP(logits, 0.9);
        var sliced = LogitsProcessing.TopPPrefiltered(logits, 0.9, candidates: 3, fromTop: true, out var fellBack);
        Assert.Equal(1, fellBack);   // the flat row: its top 3 hold 0.375 of the 0.9
        Assert.Equal(Kept(full), Kept(sliced));
        Assert.Equal(new[] { false, true, false, true, false, true, false, false }, Kept(sliced)[..8]);
        Assert.All(Kept(sliced)[8..16], Assert.True);
        Assert.Equal(full.masked_fill(full.isinf(), 0).data<float>().ToArray(), sliced.masked_fill(sliced.isinf(), 0).data<float>().ToArray());
    }

    [Fact]
    public void A_slice_of_the_least_likely_tokens_gives_the_full_filter_and_falls_back_where_the_removed_tail_is_wider()
    {
        using var logits = HandMade();
        var full = LogitsProcessing.TopP(logits, 0.9);
        // The 3 least likely hold 0.03 in row 0 and 0.02 in row 2, both ≤ 1 − p = 0.1: the removed tail may go on, so those
        // rows fall back; in row 1 the least likely alone holds 0.125 > 0.1: nothing is removed, decided. 6 decide every row.
        var sliced = LogitsProcessing.TopPPrefiltered(logits, 0.9, candidates: 3, fromTop: false, out var fellBack);
        Assert.Equal(2, fellBack);
        Assert.Equal(Kept(full), Kept(sliced));
        var wide = LogitsProcessing.TopPPrefiltered(logits, 0.9, candidates: 6, fromTop: false, out var fellBackWide);
        Assert.Equal(0, fellBackWide);
        Assert.Equal(Kept(full), Kept(wide));
    }

    [Theory]
    [InlineData(0.3, 16, true)]
    [InlineData(0.9, 16, true)]
    [InlineData(0.9, 64, false)]
    [InlineData(0.95, 32, false)]
    [InlineData(0.5, 200, true)]
    public void Random_logits_keep_the_same_tokens_either_way(double p, int candidates, bool fromTop)
    {
        using var generator = new TorchSharp.torch.Generator(7);
        // Rows from peaked to flat: the scale of each row's logits runs from 4 down to 0.1.
        using var logits = randn([12, 200], generator: generator) * linspace(4, 0.1, 12).unsqueeze(1);
        var full = LogitsProcessing.TopP(logits, p);
        var sliced = LogitsProcessing.TopPPrefiltered(logits, p, candidates, fromTop);
        Assert.Equal(Kept(full), Kept(sliced));
    }

    [Fact]
    public void Top_p_of_one_and_a_slice_as_wide_as_the_vocabulary_are_the_plain_filter()
    {
        using var logits = HandMade();
        Assert.Same(logits, LogitsProcessing.TopPPrefiltered(logits, 1.0, candidates: 3));
        Assert.Equal(Kept(LogitsProcessing.TopP(logits, 0.5)), Kept(LogitsProcessing.TopPPrefiltered(logits, 0.5, candidates: 8)));
    }
}
