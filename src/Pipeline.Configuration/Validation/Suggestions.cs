namespace Pipeline.Configuration.Validation;

/// <summary>Picks the "did you mean" candidate for a mistyped key or value.</summary>
public static class Suggestions
{
    /// <summary>
    /// The candidate closest to <paramref name="input"/>, or null when none is close enough to be a
    /// plausible typo. Spelling variants that differ only in case, '-' or '_' (learningRate,
    /// learning-rate) always match. Otherwise the Damerau distance must be at most 2 (1 for inputs
    /// shorter than 4 characters, where 2 edits would turn any short word into any other), or at most a
    /// quarter of the input's length for long keys. Ties go to the earlier candidate.
    /// </summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(candidates);
        var normalizedInput = Normalize(input);
        var lowerInput = input.ToLowerInvariant();
        var allowed = MaxDistance(input.Length);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (candidate == input) return candidate;
            if (Normalize(candidate) == normalizedInput) return candidate;
            var distance = Levenshtein.DamerauDistance(lowerInput, candidate.ToLowerInvariant());
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>How many edits still read as a typo for an input of this length.</summary>
    public static int MaxDistance(int inputLength) =>
        Math.Max(inputLength < 4 ? 1 : 2, inputLength / 4);

    private static string Normalize(string text) =>
        string.Concat(text.Where(c => c is not ('_' or '-' or ' ')).Select(char.ToLowerInvariant));
}
