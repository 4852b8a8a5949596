namespace Pipeline.Quickstart.Tests;

public sealed class SeededRandomTests
{
    [Fact]
    public void Seed_zero_gives_the_published_SplitMix64_sequence()
    {
        // Reference values of SplitMix64 (Vigna) from state 0; they pin the shipped data to this file alone.
        var random = new SeededRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
    }

    [Fact]
    public void Streams_for_different_purposes_differ_and_the_same_purpose_repeats()
    {
        var a = SeededRandom.ForStream(1, "a").NextUInt64();
        Assert.Equal(a, SeededRandom.ForStream(1, "a").NextUInt64());
        Assert.NotEqual(a, SeededRandom.ForStream(1, "b").NextUInt64());
        Assert.NotEqual(a, SeededRandom.ForStream(2, "a").NextUInt64());
    }

    [Fact]
    public void Next_stays_in_range_and_reaches_every_value()
    {
        var random = new SeededRandom(42);
        var seen = new int[5];
        for (var i = 0; i < 1000; i++) seen[random.Next(5)]++;
        Assert.All(seen, count => Assert.InRange(count, 150, 250));
        for (var i = 0; i < 1000; i++) Assert.InRange(random.Between(3, 4), 3, 4);
    }

    [Fact]
    public void Shuffle_is_a_permutation()
    {
        var items = Enumerable.Range(0, 20).ToList();
        new SeededRandom(3).Shuffle(items);
        Assert.Equal(Enumerable.Range(0, 20), items.Order());
        Assert.NotEqual(Enumerable.Range(0, 20), items);
    }
}
