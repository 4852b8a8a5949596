namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>
/// MinHash + LSH settings. With the defaults, texts whose word-5-gram Jaccard similarity is at
/// least 0.8 become candidates with probability 0.947 (0.9999 at 0.9), pairs at 0.5 only 6% of
/// the time, and every candidate is verified against the threshold before it counts.
/// </summary>
public sealed record NearDuplicateOptions
{
    /// <summary>Shingles of words (default; robust to case and punctuation edits) or of characters.</summary>
    public ShingleUnit Unit { get; init; } = ShingleUnit.Words;

    /// <summary>Words (or characters) per shingle. Default 5: long enough that unrelated texts on one topic share few shingles.</summary>
    public int ShingleSize { get; init; } = 5;

    /// <summary>MinHash functions per signature. Default 128: the Jaccard estimate's standard error is ≤ 0.045.</summary>
    public int Permutations { get; init; } = 128;

    /// <summary>LSH bands. Default 16; Bands × Rows must equal Permutations.</summary>
    public int Bands { get; init; } = 16;

    /// <summary>Signature rows per band. Default 8: puts the S-curve's steep part near 0.7, below the threshold, for recall.</summary>
    public int Rows { get; init; } = 8;

    /// <summary>Estimated Jaccard at or above which a candidate pair is a near-duplicate. Default 0.8; in (0, 1].</summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>Seed of the hash family. Signatures are only comparable when computed with the same seed.</summary>
    public ulong Seed { get; init; } = 0x5EED_0F_D00DUL;

    /// <summary>Throws <see cref="InvalidCleaningOptionException"/> naming the first invalid option.</summary>
    public NearDuplicateOptions Validate()
    {
        if (!Enum.IsDefined(Unit))
            throw new InvalidCleaningOptionException($"{nameof(NearDuplicateOptions)}.{nameof(Unit)}", Unit, "Words or Characters");
        if (ShingleSize is < 1 or > 64)
            throw new InvalidCleaningOptionException($"{nameof(NearDuplicateOptions)}.{nameof(ShingleSize)}", ShingleSize, "an integer from 1 to 64");
        if (Permutations is < 1 or > 4096)
            throw new InvalidCleaningOptionException($"{nameof(NearDuplicateOptions)}.{nameof(Permutations)}", Permutations, "an integer from 1 to 4096");
        if (Bands < 1)
            throw new InvalidCleaningOptionException($"{nameof(NearDuplicateOptions)}.{nameof(Bands)}", Bands, "a positive integer");
        if (Rows < 1)
            throw new InvalidCleaningOptionException($"{nameof(NearDuplicateOptions)}.{nameof(Rows)}", Rows, "a positive integer");
        if ((long)Bands * Rows != Permutations)
            throw new InvalidCleaningOptionException(
                $"{nameof(NearDuplicateOptions)}.{nameof(Bands)} × {nameof(NearDuplicateOptions)}.{nameof(Rows)}",
                $"{Bands} × {Rows} = {(long)Bands * Rows}",
                $"exactly {nameof(Permutations)} = {Permutations}, e.g. {DivisorExamples(Permutations)}");
        if (double.IsNaN(Threshold) || Threshold is <= 0 or > 1)
            throw new InvalidCleaningOptionException($"{nameof(NearDuplicateOptions)}.{nameof(Threshold)}", Threshold, "a number in (0, 1]");
        return this;
    }

    private static string DivisorExamples(int permutations)
    {
        var pairs = new List<string>();
        for (var bands = 1; bands <= permutations && pairs.Count < 4; bands++)
            if (permutations % bands == 0 && bands > 1 && permutations / bands > 1)
                pairs.Add($"{bands} × {permutations / bands}");
        return pairs.Count == 0 ? $"{permutations} × 1" : string.Join(", ", pairs);
    }
}
