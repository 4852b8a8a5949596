using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Ingest;

/// <summary>
/// Near-duplicate removal with MinHash signatures and locality-sensitive hashing: signatures of
/// <see cref="Permutations"/> hashes are cut into <see cref="Bands"/> bands of equal rows; two rows
/// that agree on a whole band become candidates, and candidates whose estimated Jaccard similarity
/// reaches <see cref="Threshold"/> are duplicates (the later one is dropped).
/// </summary>
public sealed record NearDuplicateSettings : IValidatableSettings
{
    /// <summary>Default true: near-duplicates over-weight some examples and leak into validation.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Length of a shingle in <see cref="Shingle"/> units, default 5: 5-word shingles are the usual
    /// choice for prose (short enough to survive small edits, long enough not to match everything).
    /// </summary>
    [Range(1, 64)]
    public int ShingleSize { get; init; } = 5;

    /// <summary>Shingle by word (default: robust for prose) or by character (for short or unsegmented text).</summary>
    public ShingleUnit Shingle { get; init; } = ShingleUnit.Words;

    /// <summary>
    /// Hash functions per signature, default 128. The Jaccard estimate is the fraction of k positions that agree,
    /// so its standard error is √(J(1−J)/k): ≈ 0.03 at J = 0.85 and at most 0.044 (at J = 0.5) for k = 128,
    /// enough to tell 0.85 from the 0.8 threshold most of the time at a small cost.
    /// </summary>
    [Range(16, 1024)]
    public int Permutations { get; init; } = 128;

    /// <summary>
    /// LSH bands, default 16 (of 8 rows each): the candidate curve's steepest point, (1/b)^(1/r) ≈ 0.71,
    /// sits just below the default threshold, so few true duplicates are missed. Must divide
    /// <see cref="Permutations"/>.
    /// </summary>
    [Range(1, 1024)]
    public int Bands { get; init; } = 16;

    /// <summary>Estimated Jaccard similarity at or above which two rows are duplicates, default 0.8.</summary>
    [Range(0, 1, MinimumIsExclusive = true)]
    public double Threshold { get; init; } = 0.8;

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        if (!context.IsValid("bands", "permutations") || Permutations % Bands == 0) return;
        var divisors = Enumerable.Range(1, Permutations).Where(d => Permutations % d == 0);
        context.Error(context.IsSet("bands") ? "bands" : "permutations",
            $"{Permutations} permutations cannot be cut into {Bands} bands of equal rows; bands must divide permutations ({string.Join(", ", divisors)})");
    }
}
