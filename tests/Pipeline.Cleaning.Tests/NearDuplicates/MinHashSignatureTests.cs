using System.Numerics;
using Pipeline.Cleaning.NearDuplicates;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

public sealed class MinHashSignatureTests
{
    [Fact]
    public void Modular_multiply_add_matches_big_integer_arithmetic()
    {
        var random = new SplitMix64(1);
        var p = new BigInteger(MinHashSignature.MersennePrime);
        for (var i = 0; i < 1000; i++)
        {
            var a = random.Next() % MinHashSignature.MersennePrime;
            var x = random.Next() % MinHashSignature.MersennePrime;
            var b = random.Next() % MinHashSignature.MersennePrime;
            Assert.Equal((ulong)((a * (BigInteger)x + b) % p), MinHashSignature.MulAddMod(a, x, b));
        }
        Assert.Equal(0UL, MinHashSignature.ModMersenne(MinHashSignature.MersennePrime));
        Assert.Equal(5UL, MinHashSignature.ModMersenne(MinHashSignature.MersennePrime + 5));
    }

    [Fact]
    public void Signatures_are_determined_by_the_seed()
    {
        ulong[] shingles = [1, 2, 3, 99, 12345];

        var first = new MinHashSignature(64, seed: 42).Compute(shingles);
        var again = new MinHashSignature(64, seed: 42).Compute(shingles);
        var otherSeed = new MinHashSignature(64, seed: 43).Compute(shingles);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void Estimate_is_close_to_the_exact_jaccard_index()
    {
        // {0..299} and {100..399}: intersection 200, union 400, Jaccard exactly 0.5.
        var left = Enumerable.Range(0, 300).Select(i => Fnv1a64.Hash($"shingle {i}".AsSpan())).ToArray();
        var right = Enumerable.Range(100, 300).Select(i => Fnv1a64.Hash($"shingle {i}".AsSpan())).ToArray();
        var minHash = new MinHashSignature(1024, seed: 7);

        var estimate = MinHashSignature.EstimateJaccard(minHash.Compute(left), minHash.Compute(right));

        // Standard error sqrt(0.25 / 1024) ≈ 0.016; 0.06 is almost four of them.
        Assert.InRange(estimate, 0.44, 0.56);
    }

    [Fact]
    public void Empty_sets_give_the_empty_signature()
    {
        var signature = new MinHashSignature(8, seed: 1).Compute([]);

        Assert.All(signature, v => Assert.Equal(MinHashSignature.EmptyValue, v));
        Assert.True(MinHashSignature.IsEmpty(signature));
    }

    [Fact]
    public void Estimate_counts_equal_positions()
    {
        Assert.Equal(0.75, MinHashSignature.EstimateJaccard([1, 2, 3, 4], [1, 2, 3, 5]));
        Assert.Throws<ArgumentException>(() => MinHashSignature.EstimateJaccard([1, 2], [1, 2, 3]));
    }
}
