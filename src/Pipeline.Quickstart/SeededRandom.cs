namespace Pipeline.Quickstart;

/// <summary>
/// SplitMix64: a tiny seeded generator whose sequence is fixed by this file alone, so the shipped data is
/// byte-identical on every runtime (System.Random's seeded sequence is an implementation detail of .NET).
/// </summary>
internal sealed class SeededRandom
{
    private ulong state;

    public SeededRandom(ulong seed) => state = seed;

    /// <summary>An independent stream for one purpose, so drawing more in one part of the data never shifts another part.</summary>
    public static SeededRandom ForStream(int seed, string purpose) =>
        new(Mix(unchecked((ulong)seed) ^ StableHash.Of(purpose)));

    public ulong NextUInt64()
    {
        state = unchecked(state + 0x9E3779B97F4A7C15UL);
        return Mix(state);
    }

    /// <summary>Uniform in [0, maxExclusive). The modulo bias is below 2^-40 for the small ranges used here.</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(NextUInt64() % (ulong)maxExclusive);
    }

    /// <summary>Uniform in [minInclusive, maxInclusive].</summary>
    public int Between(int minInclusive, int maxInclusive) => minInclusive + Next(maxInclusive - minInclusive + 1);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Fisher–Yates, in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
