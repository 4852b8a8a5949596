namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>
/// Locality-sensitive hashing by banding: a signature of b·r values is cut into b bands of r
/// rows; two texts become candidates when all r rows of at least one band agree.
/// </summary>
public static class LshBanding
{
    /// <summary>
    /// Probability that two texts with Jaccard similarity s become candidates:
    /// 1 − (1 − s^r)^b. With the defaults (b = 16, r = 8) it is 0.947 at s = 0.8, 0.9999 at s = 0.9 and 0.061 at s = 0.5.
    /// </summary>
    public static double CandidateProbability(double similarity, int bands, int rows)
    {
        if (similarity is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(similarity), similarity, "Similarity must lie in [0, 1].");
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        return 1 - Math.Pow(1 - Math.Pow(similarity, rows), bands);
    }

    /// <summary>The similarity where the S-curve is steepest, about (1/b)^(1/r).</summary>
    public static double ApproximateThreshold(int bands, int rows) =>
        Math.Pow(1.0 / bands, 1.0 / rows);

    /// <summary>Bucket key of one band: a hash of its rows (collisions only add candidates, which verification rejects).</summary>
    public static ulong BandKey(ReadOnlySpan<ulong> signature, int band, int rows)
    {
        var hash = Fnv1a64.OffsetBasis ^ (ulong)band;
        foreach (var value in signature.Slice(band * rows, rows))
        {
            hash ^= value;
            hash *= Fnv1a64.Prime;
            hash ^= hash >> 29;
        }
        return hash;
    }
}
