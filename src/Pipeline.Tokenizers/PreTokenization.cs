using System.Text.RegularExpressions;

namespace Pipeline.Tokenizers;

/// <summary>A piece of text <c>[Start, Start + Length)</c> produced by pre-tokenization.</summary>
internal readonly record struct TextRange(int Start, int Length);

/// <summary>What a Hugging Face <c>Split</c> pre-tokenizer does with the text its pattern matches.</summary>
internal enum SplitBehavior { Isolated, Removed, MergedWithPrevious, MergedWithNext }

/// <summary>One step of a Hugging Face pre-tokenizer sequence; each refines the ranges of the previous one.</summary>
internal abstract record PreTokenizerStep
{
    public abstract List<TextRange> Apply(string text, List<TextRange> ranges);
}

/// <summary>
/// <c>Split</c> with a regex or literal pattern (Llama 3 and Qwen2 put their word regex here, followed by
/// <c>ByteLevel</c> without regex). <c>invert</c> means the pattern matches the pieces rather than the delimiters.
/// </summary>
internal sealed record SplitStep(Regex Pattern, SplitBehavior Behavior, bool Invert) : PreTokenizerStep
{
    public override List<TextRange> Apply(string text, List<TextRange> ranges)
    {
        var result = new List<TextRange>();
        foreach (var range in ranges)
        {
            // (start, length, isMatch) in text coordinates; the span bounds make lookarounds stop at the piece.
            var parts = new List<(int Start, int Length, bool IsMatch)>();
            var position = range.Start;
            foreach (var m in Pattern.EnumerateMatches(text.AsSpan(range.Start, range.Length)))
            {
                if (m.Length == 0) continue;
                var matchStart = range.Start + m.Index;
                if (matchStart > position) parts.Add((position, matchStart - position, false));
                parts.Add((matchStart, m.Length, true));
                position = matchStart + m.Length;
            }
            if (position < range.Start + range.Length) parts.Add((position, range.Start + range.Length - position, false));
            Emit(parts, result);
        }
        return result;
    }

    private void Emit(List<(int Start, int Length, bool IsMatch)> parts, List<TextRange> result)
    {
        var firstOfRange = result.Count;
        var pendingStart = -1;
        var pendingEnd = -1;
        foreach (var (start, length, isMatch) in parts)
        {
            var isDelimiter = isMatch != Invert;
            switch (Behavior)
            {
                case SplitBehavior.Isolated:
                    result.Add(new TextRange(start, length));
                    break;
                case SplitBehavior.Removed:
                    if (!isDelimiter) result.Add(new TextRange(start, length));
                    break;
                case SplitBehavior.MergedWithPrevious:
                    if (isDelimiter && result.Count > firstOfRange)
                    {
                        result[^1] = result[^1] with { Length = result[^1].Length + length };
                    }
                    else
                    {
                        result.Add(new TextRange(start, length));
                    }
                    break;
                case SplitBehavior.MergedWithNext:
                    if (isDelimiter)
                    {
                        if (pendingStart < 0) pendingStart = start;
                        pendingEnd = start + length;
                    }
                    else
                    {
                        var s = pendingStart >= 0 ? pendingStart : start;
                        result.Add(new TextRange(s, start + length - s));
                        pendingStart = -1;
                    }
                    break;
            }
        }
        if (pendingStart >= 0) result.Add(new TextRange(pendingStart, pendingEnd - pendingStart));
    }
}

/// <summary><c>Digits</c>: numbers isolated, each digit alone when <c>individual_digits</c> is set.</summary>
internal sealed record DigitsStep(bool IndividualDigits) : PreTokenizerStep
{
    private static readonly Regex Single = new(@"\p{N}", RegexOptions.CultureInvariant);
    private static readonly Regex Runs = new(@"\p{N}+", RegexOptions.CultureInvariant);

    public override List<TextRange> Apply(string text, List<TextRange> ranges) =>
        new SplitStep(IndividualDigits ? Single : Runs, SplitBehavior.Isolated, false).Apply(text, ranges);
}

/// <summary>
/// The pre-tokenizer chain of a byte-level BPE tokenizer. The ByteLevel step contributes the GPT-2 regex
/// (when <c>use_regex</c>) and the optional prefix space; the mapping of bytes to the byte-level alphabet
/// happens after all steps, which is equivalent because ByteLevel is the last step in every real tokenizer.
/// </summary>
internal sealed class PreTokenizer
{
    /// <summary>GPT-2's word regex, used by ByteLevel when <c>use_regex</c> is true.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static readonly Regex Gpt2Regex = new(Gpt2Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private readonly IReadOnlyList<PreTokenizerStep> _steps;

    public PreTokenizer(IReadOnlyList<PreTokenizerStep> steps, bool addPrefixSpace)
    {
        _steps = steps;
        AddPrefixSpace = addPrefixSpace;
    }

    public bool AddPrefixSpace { get; }

    /// <summary>
    /// Splits <paramref name="text"/>; returns the string the ranges refer to (the text, or the text with a
    /// leading space when the prefix space was added) and the ranges.
    /// </summary>
    public (string Working, bool PrefixAdded, List<TextRange> Ranges) Run(string text)
    {
        var prefixAdded = AddPrefixSpace && !text.StartsWith(' ');
        var working = prefixAdded ? " " + text : text;
        var ranges = new List<TextRange> { new(0, working.Length) };
        foreach (var step in _steps)
        {
            ranges = step.Apply(working, ranges);
        }
        return (working, prefixAdded, ranges);
    }
}
