using Pipeline.Training.Loop;

namespace Pipeline.Training.Tests.Loop;

public sealed class DataOrderTests
{
    [Fact]
    public void Each_epoch_is_a_permutation_fixed_by_seed_and_epoch()
    {
        var first = DataOrder.Permutation(seed: 7, epoch: 0, count: 50);
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.Equal(first, DataOrder.Permutation(7, 0, 50));
        Assert.NotEqual(first, DataOrder.Permutation(7, 1, 50));
        Assert.NotEqual(first, DataOrder.Permutation(8, 0, 50));
        Assert.NotEqual(Enumerable.Range(0, 50), first);
    }

    [Fact]
    public void SplitMix64_matches_the_reference_sequence()
    {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, DataOrder.Next(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, DataOrder.Next(ref state));
        Assert.Equal(0x06C45D188009454FUL, DataOrder.Next(ref state));
    }

    [Fact]
    public void Small_cases_are_exact() =>
        Assert.Equal([0], DataOrder.Permutation(1, 0, 1));
}
