using Pipeline.Data.Splitting;

namespace Pipeline.Data.Tests.Splitting;

public sealed class DatasetSplitterTests
{
    private static readonly UInt128[] Hashes = Enumerable.Range(0, 10_000)
        .Select(i => ExampleHasher.ContentHash([new ChatMessage("user", $"question {i}")], null, null))
        .ToArray();

    private static DatasetSplit[] Assign(ulong seed, double fraction, IEnumerable<UInt128> hashes) =>
        hashes.Select(h => DatasetSplitter.Assign(h, seed, fraction)).ToArray();

    [Fact]
    public void The_same_seed_gives_the_same_split_whatever_the_input_order()
    {
        var forward = Assign(42, 0.1, Hashes);
        var reversed = Assign(42, 0.1, Hashes.Reverse()).Reverse().ToArray();

        Assert.Equal(forward, Assign(42, 0.1, Hashes));
        Assert.Equal(forward, reversed);
    }

    [Fact]
    public void A_different_seed_gives_a_different_split()
    {
        var a = Assign(42, 0.1, Hashes);
        var b = Assign(43, 0.1, Hashes);

        int differing = a.Zip(b).Count(p => p.First != p.Second);
        // Two independent 10% draws disagree on about 2·0.1·0.9 = 18% of rows.
        Assert.InRange(differing, 1500, 2100);
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(0.5)]
    public void The_validation_share_is_close_to_the_fraction(double fraction)
    {
        int validation = Assign(7, fraction, Hashes).Count(s => s == DatasetSplit.Validation);

        // Binomial(10 000, p): four standard deviations are at most 200 rows.
        double sigma = Math.Sqrt(10_000 * fraction * (1 - fraction));
        Assert.InRange(validation, 10_000 * fraction - 4 * sigma, 10_000 * fraction + 4 * sigma);
    }

    [Fact]
    public void Fraction_zero_puts_everything_in_train()
    {
        Assert.All(Assign(42, 0, Hashes.Take(500)), s => Assert.Equal(DatasetSplit.Train, s));
    }

    [Fact]
    public void Unit_values_lie_in_zero_one()
    {
        Assert.All(Hashes.Take(1000), h => Assert.InRange(DatasetSplitter.UnitInterval(h, 42), 0.0, 0.9999999999));
    }
}
