namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>
/// A seeded family of <see cref="Permutations"/> universal hash functions
/// h_i(x) = (a_i·x + b_i) mod p over the Mersenne prime p = 2^61 − 1, standing in for random
/// permutations of the shingle space. The signature of a shingle set is, per function, the
/// minimum hash over the set; two signatures agree in a position with probability equal to the
/// Jaccard index of the sets. Immutable after construction, so one instance serves all threads.
/// </summary>
public sealed class MinHashSignature
{
    /// <summary>p = 2^61 − 1: a prime whose modulo is two shifts and an add.</summary>
    public const ulong MersennePrime = (1UL << 61) - 1;

    /// <summary>The value every position holds for an empty shingle set (no minimum exists).</summary>
    public const ulong EmptyValue = ulong.MaxValue;

    private readonly ulong[] a;
    private readonly ulong[] b;

    public MinHashSignature(int permutations, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 1);
        Permutations = permutations;
        Seed = seed;
        this.a = new ulong[permutations];
        this.b = new ulong[permutations];
        var random = new SplitMix64(seed);
        for (var i = 0; i < permutations; i++)
        {
            this.a[i] = 1 + random.Next() % (MersennePrime - 1); // a ≠ 0, or h_i is constant
            this.b[i] = random.Next() % MersennePrime;
        }
    }

    public int Permutations { get; }
    public ulong Seed { get; }

    public ulong[] Compute(IReadOnlyList<ulong> shingleHashes)
    {
        var signature = new ulong[Permutations];
        Array.Fill(signature, EmptyValue);
        foreach (var shingle in shingleHashes)
        {
            var x = ModMersenne(shingle);
            for (var i = 0; i < signature.Length; i++)
            {
                var value = MulAddMod(this.a[i], x, this.b[i]);
                if (value < signature[i])
                    signature[i] = value;
            }
        }
        return signature;
    }

    /// <summary>True when the signature came from a text without shingles.</summary>
    public static bool IsEmpty(ReadOnlySpan<ulong> signature) =>
        signature.Length == 0 || signature[0] == EmptyValue;

    /// <summary>Fraction of positions where the signatures agree: the MinHash Jaccard estimate.</summary>
    public static double EstimateJaccard(ReadOnlySpan<ulong> left, ReadOnlySpan<ulong> right)
    {
        if (left.Length != right.Length)
            throw new ArgumentException(
                $"Signatures of different lengths ({left.Length} and {right.Length}) cannot be compared; " +
                "both must come from the same NearDuplicateOptions.Permutations.");
        if (left.Length == 0)
            return 0;
        var equal = 0;
        for (var i = 0; i < left.Length; i++)
            if (left[i] == right[i])
                equal++;
        return (double)equal / left.Length;
    }

    public static ulong ModMersenne(ulong x)
    {
        var r = (x & MersennePrime) + (x >> 61);
        return r >= MersennePrime ? r - MersennePrime : r;
    }

    /// <summary>(a·x + b) mod p for a, x, b &lt; p, via a 128-bit product folded at bit 61 (2^61 ≡ 1 mod p).</summary>
    public static ulong MulAddMod(ulong a, ulong x, ulong b)
    {
        var high = Math.BigMul(a, x, out var low);           // a·x < 2^122 = high·2^64 + low
        var sum = (low & MersennePrime)                      // bits 0..60
                  + ((high << 3) | (low >> 61))              // bits 61..121, < 2^61
                  + b;                                       // < 3·2^61
        return ModMersenne(sum);
    }
}
