namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>
/// SplitMix64 generator: used instead of System.Random so that the permutation coefficients,
/// and therefore every signature, are the same on every runtime version for a given seed.
/// </summary>
public struct SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
