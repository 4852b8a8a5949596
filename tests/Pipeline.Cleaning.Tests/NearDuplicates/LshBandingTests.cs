using Pipeline.Cleaning.NearDuplicates;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

public sealed class LshBandingTests
{
    [Theory]
    [InlineData(0.8, 16, 8, 0.9470487961682148)] // 1 − (1 − 0.8^8)^16, by hand: 0.8^8 = 0.16777, 0.83223^16 = 0.05295
    [InlineData(0.5, 16, 8, 0.06070190410618359)]
    [InlineData(0.9, 16, 8, 0.9998774538341496)]
    [InlineData(0.3, 1, 1, 0.3)]
    [InlineData(0.0, 16, 8, 0.0)]
    [InlineData(1.0, 16, 8, 1.0)]
    public void Candidate_probability_is_one_minus_one_minus_s_to_the_r_to_the_b(double s, int b, int r, double expected)
    {
        Assert.Equal(expected, LshBanding.CandidateProbability(s, b, r), 12);
    }

    [Fact]
    public void Approximate_threshold_of_the_defaults_is_near_0_7()
    {
        Assert.Equal(Math.Pow(1.0 / 16, 1.0 / 8), LshBanding.ApproximateThreshold(16, 8), 12);
        Assert.InRange(LshBanding.ApproximateThreshold(16, 8), 0.70, 0.71);
    }

    [Fact]
    public void Candidate_rate_of_random_pairs_matches_the_formula()
    {
        // 300 pairs of 100-element sets sharing 75 elements: Jaccard 75 / 125 = 0.6, where the
        // S-curve is steep, so a wrong band split or key would show.
        var minHash = new MinHashSignature(128, seed: 3);
        var random = new SplitMix64(11);
        var candidates = 0;
        const int pairs = 300;
        for (var p = 0; p < pairs; p++)
        {
            var shared = Enumerable.Range(0, 75).Select(_ => random.Next()).ToArray();
            var left = minHash.Compute([.. shared, .. Enumerable.Range(0, 25).Select(_ => random.Next())]);
            var right = minHash.Compute([.. shared, .. Enumerable.Range(0, 25).Select(_ => random.Next())]);
            if (Enumerable.Range(0, 16).Any(band => LshBanding.BandKey(left, band, 8) == LshBanding.BandKey(right, band, 8)))
                candidates++;
        }

        var expected = LshBanding.CandidateProbability(0.6, 16, 8); // 0.237
        Assert.InRange((double)candidates / pairs, expected - 0.08, expected + 0.08);
    }

    [Fact]
    public void Band_keys_depend_only_on_their_band()
    {
        ulong[] a = [1, 2, 3, 4, 5, 6];
        ulong[] b = [1, 2, 3, 4, 5, 7];

        Assert.Equal(LshBanding.BandKey(a, 0, 3), LshBanding.BandKey(b, 0, 3));
        Assert.NotEqual(LshBanding.BandKey(a, 1, 3), LshBanding.BandKey(b, 1, 3));
        Assert.NotEqual(LshBanding.BandKey(a, 0, 3), LshBanding.BandKey([4, 5, 6, 1, 2, 3], 1, 3)); // same rows, other band
    }
}
