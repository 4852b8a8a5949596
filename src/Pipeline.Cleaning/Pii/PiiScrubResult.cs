namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Scrubbed turns (same order and count as the input) and how many occurrences of each type
/// were replaced. Holds no original value.
/// </summary>
public sealed record PiiScrubResult(IReadOnlyList<string> Turns, IReadOnlyDictionary<PiiType, int> Counts)
{
    public int Total => Counts.Values.Sum();

    public int CountOf(PiiType type) => Counts.GetValueOrDefault(type);
}
