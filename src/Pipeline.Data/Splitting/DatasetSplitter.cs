namespace Pipeline.Data.Splitting;

/// <summary>
/// Train/validation assignment by hashing (seed, split key) into [0, 1), the key being the content hash or, for a
/// preference pair, the hash of its reply pair (<see cref="ExampleHasher.SplitKey"/>): an example's split depends only on its
/// content and the seed, never on input order or on what else is in the dataset, so it streams and it is stable
/// when inputs are added or reordered.
/// </summary>
public static class DatasetSplitter
{
    public static DatasetSplit Assign(UInt128 contentHash, ulong seed, double validationFraction) =>
        UnitInterval(contentHash, seed) < validationFraction ? DatasetSplit.Validation : DatasetSplit.Train;

    /// <summary>A uniform value in [0, 1) from the seed and the hash (53 bits, the precision of a double).</summary>
    public static double UnitInterval(UInt128 contentHash, ulong seed)
    {
        ulong mixed = Mix(seed ^ 0x9E3779B97F4A7C15UL);
        mixed = Mix(mixed ^ (ulong)contentHash);
        mixed = Mix(mixed ^ (ulong)(contentHash >> 64));
        return (mixed >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>SplitMix64's finalizer: every input bit affects every output bit.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
