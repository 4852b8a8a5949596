using Pipeline.Cleaning.NearDuplicates;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

public sealed class UnionFindTests
{
    [Fact]
    public void Unions_join_sets_transitively()
    {
        var sets = new UnionFind(7);

        Assert.True(sets.Union(0, 1));
        Assert.True(sets.Union(2, 3));
        Assert.True(sets.Union(1, 3));
        Assert.False(sets.Union(0, 2)); // already joined through 1–3
        Assert.True(sets.Union(5, 6));

        Assert.True(sets.Connected(0, 2));
        Assert.False(sets.Connected(0, 4));
        Assert.Equal(4, sets.SizeOf(3));
        Assert.Equal(1, sets.SizeOf(4));
        var groups = sets.Groups().OrderBy(g => g[0]).ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal([0, 1, 2, 3], groups[0]);
        Assert.Equal([5, 6], groups[1]);
    }

    [Fact]
    public void A_long_chain_collapses_into_one_set()
    {
        var sets = new UnionFind(1000);
        for (var i = 1; i < 1000; i++)
            sets.Union(i - 1, i);

        Assert.Equal(1000, sets.SizeOf(0));
        Assert.Equal(sets.Find(0), sets.Find(999));
        Assert.Single(sets.Groups());
    }
}
