namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>
/// Turns a text into the 64-bit hashes of its shingles. The text is normalized first (lower case,
/// every run of non-letters/non-digits becomes one space) so that case and punctuation edits do
/// not count as differences: those are the edits that make a near-duplicate "near".
/// </summary>
public static class Shingler
{
    public static string Normalize(string text) => ComparisonText.ForComparison(text);

    /// <summary>
    /// Shingle hashes in text order (repeats included: MinHash takes minima, so a multiset and
    /// its set give the same signature). A text shorter than one shingle yields one shingle, the
    /// whole normalized text; an empty text yields none.
    /// </summary>
    public static List<ulong> ShingleHashes(string text, ShingleUnit unit, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var normalized = Normalize(text);
        return unit == ShingleUnit.Words
            ? WordShingles(normalized, size)
            : CharacterShingles(normalized, size);
    }

    /// <summary>The distinct shingle hashes: the set whose Jaccard index MinHash estimates.</summary>
    public static HashSet<ulong> ShingleSet(string text, ShingleUnit unit, int size) =>
        [.. ShingleHashes(text, unit, size)];

    private static List<ulong> WordShingles(string normalized, int size)
    {
        var hashes = new List<ulong>();
        if (normalized.Length == 0)
            return hashes;

        // Word i spans [starts[i], ends[i]); a shingle is the slice from the start of its first
        // word to the end of its last, which is exactly "w1 w2 ... wk" in the normalized text.
        var starts = new List<int> { 0 };
        var ends = new List<int>();
        for (var i = 0; i < normalized.Length; i++)
        {
            if (normalized[i] != ' ')
                continue;
            ends.Add(i);
            starts.Add(i + 1);
        }
        ends.Add(normalized.Length);

        var span = normalized.AsSpan();
        if (starts.Count <= size)
        {
            hashes.Add(Fnv1a64.Hash(span));
            return hashes;
        }
        for (var first = 0; first + size <= starts.Count; first++)
        {
            var start = starts[first];
            hashes.Add(Fnv1a64.Hash(span[start..ends[first + size - 1]]));
        }
        return hashes;
    }

    private static List<ulong> CharacterShingles(string normalized, int size)
    {
        var hashes = new List<ulong>();
        if (normalized.Length == 0)
            return hashes;
        var span = normalized.AsSpan();
        if (normalized.Length <= size)
        {
            hashes.Add(Fnv1a64.Hash(span));
            return hashes;
        }
        for (var start = 0; start + size <= span.Length; start++)
            hashes.Add(Fnv1a64.Hash(span.Slice(start, size)));
        return hashes;
    }
}
