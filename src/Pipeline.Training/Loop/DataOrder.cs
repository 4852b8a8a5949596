namespace Pipeline.Training.Loop;

/// <summary>
/// The order examples are visited in each epoch: a Fisher–Yates shuffle driven by SplitMix64 seeded from
/// (seed, epoch). A pure function, so a resumed run re-derives the order of its epoch from the checkpoint's
/// (epoch, position) instead of storing a random generator's state, and the order does not depend on the
/// .NET version (System.Random's algorithms are not a compatibility promise).
/// </summary>
public static class DataOrder
{
    /// <summary>A permutation of 0 … count − 1 for this epoch.</summary>
    public static int[] Permutation(long seed, int epoch, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        var state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch * 0xD1B54A32D192ED03UL + 1);
        for (var i = count - 1; i > 0; i--)
        {
            var j = (int)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>SplitMix64 (Steele et al.): a full-period 64-bit generator with well-mixed outputs.</summary>
    internal static ulong Next(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
