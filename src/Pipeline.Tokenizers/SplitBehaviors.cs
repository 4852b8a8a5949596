namespace Pipeline.Tokenizers;

/// <summary>
/// The five SplitDelimiterBehavior rules of Hugging Face tokenizers (NormalizedString::split in normalizer.rs),
/// applied to one piece cut into delimiter and non-delimiter parts. On "the-final--countdown" split on '-':
/// Isolated [the, -, final, -, -, countdown]; Removed [the, final, countdown];
/// MergedWithPrevious [the-, final-, -, countdown]; MergedWithNext [the, -final, -, -countdown];
/// Contiguous [the, -, final, --, countdown]. A delimiter only merges into a non-delimiter neighbour.
/// </summary>
internal static class SplitBehaviors
{
    public static List<TextRange> Apply(SplitBehavior behavior, List<(TextRange Range, bool IsDelimiter)> parts) => behavior switch
    {
        SplitBehavior.Isolated => parts.Select(p => p.Range).ToList(),
        SplitBehavior.Removed => parts.Where(p => !p.IsDelimiter).Select(p => p.Range).ToList(),
        SplitBehavior.Contiguous => Fold(parts, (isDelimiter, previous) => isDelimiter == previous),
        SplitBehavior.MergedWithPrevious => Fold(parts, (isDelimiter, previous) => isDelimiter && !previous),
        SplitBehavior.MergedWithNext => MergeWithNext(parts),
        _ => throw new ArgumentOutOfRangeException(nameof(behavior), behavior, null),
    };

    /// <summary>Rust's fold: a part joins the previous output piece when <paramref name="joins"/> says so (the flag starts false).</summary>
    private static List<TextRange> Fold(List<(TextRange Range, bool IsDelimiter)> parts, Func<bool, bool, bool> joins)
    {
        var result = new List<TextRange>();
        var previousDelimiter = false;
        foreach (var (range, isDelimiter) in parts)
        {
            if (joins(isDelimiter, previousDelimiter) && result.Count > 0)
                result[^1] = result[^1] with { Length = range.Start + range.Length - result[^1].Start };
            else
                result.Add(range);
            previousDelimiter = isDelimiter;
        }
        return result;
    }

    /// <summary>The same fold from the end: a delimiter joins the following piece unless that one is a delimiter too.</summary>
    private static List<TextRange> MergeWithNext(List<(TextRange Range, bool IsDelimiter)> parts)
    {
        var reversed = new List<TextRange>();
        var nextDelimiter = false;
        for (var i = parts.Count - 1; i >= 0; i--)
        {
            var (range, isDelimiter) = parts[i];
            if (isDelimiter && !nextDelimiter && reversed.Count > 0)
                reversed[^1] = new TextRange(range.Start, reversed[^1].Start + reversed[^1].Length - range.Start);
            else
                reversed.Add(range);
            nextDelimiter = isDelimiter;
        }
        reversed.Reverse();
        return reversed;
    }
}
