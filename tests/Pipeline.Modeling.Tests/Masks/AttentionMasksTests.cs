using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Masks;

/// <summary>Position ids and attention masks computed by hand for padded, packed and cached rows.</summary>
public sealed class AttentionMasksTests
{
    private static long[] Row(Tensor t, int row) => t[row].data<long>().ToArray();

    [Fact]
    public void Positions_count_real_tokens_of_the_same_example()
    {
        var mask = TinyModels.Ids(
            [0, 0, 1, 1, 1, 1],      // left padding
            [1, 1, 1, 2, 2, 0],      // two packed examples and a pad
            [1, 1, 0, 0, 1, 1],      // a gap inside one example (a finished row in a batch) does not restart it
            [1, 2, 2, 3, 3, 3]);     // three examples, one of a single token

        var positions = AttentionMasks.PositionIds(mask, 4, 0, 6, CPU);

        Assert.Equal([1, 1, 0, 1, 2, 3], Row(positions, 0));
        Assert.Equal([0, 1, 2, 0, 1, 1], Row(positions, 1));
        Assert.Equal([0, 1, 1, 1, 2, 3], Row(positions, 2));
        Assert.Equal([0, 0, 1, 0, 1, 2], Row(positions, 3));
    }

    [Fact]
    public void With_a_cache_positions_continue_from_the_cached_ones()
    {
        var mask = TinyModels.Ids([0, 1, 1, 1, 1]);                          // 3 cached positions, 2 new
        Assert.Equal([2, 3], Row(AttentionMasks.PositionIds(mask, 1, 3, 2, CPU), 0));
        Assert.Equal([3, 4], Row(AttentionMasks.PositionIds(null, 1, 3, 2, CPU), 0));
    }

    [Fact]
    public void A_packed_row_attends_causally_within_each_example_only()
    {
        var mask = AttentionMasks.CausalMask(TinyModels.Ids([1, 1, 2, 2, 2, 0]), 0, 6, null, CPU)!;   // (1, 1, 6, 6)

        bool[][] expected =
        [
            [true,  false, false, false, false, false],
            [true,  true,  false, false, false, false],
            [false, false, true,  false, false, false],
            [false, false, true,  true,  false, false],
            [false, false, true,  true,  true,  false],
            [false, false, false, false, false, true],     // the pad sees only itself (a defined softmax)
        ];
        Assert.Equal([1, 1, 6, 6], mask.shape);
        for (var q = 0; q < 6; q++) Assert.Equal(expected[q], mask[0, 0, q].data<bool>().ToArray());
    }

    [Fact]
    public void Sliding_window_and_examples_combine()
    {
        var mask = AttentionMasks.CausalMask(TinyModels.Ids([1, 1, 1, 1, 2, 2]), 0, 6, slidingWindow: 2, CPU)!;
        Assert.Equal([false, false, true, true, false, false], mask[0, 0, 3].data<bool>().ToArray());
        Assert.Equal([false, false, false, false, true, true], mask[0, 0, 5].data<bool>().ToArray());
    }

    [Fact]
    public void No_mask_no_cache_no_window_is_plain_causal_attention()
    {
        Assert.Null(AttentionMasks.CausalMask(null, 0, 4, null, CPU));
    }
}
