using System.Text.RegularExpressions;

namespace Pipeline.Tokenizers;

/// <summary>What a Hugging Face <c>Split</c> pre-tokenizer does with the text its pattern matches (SplitDelimiterBehavior).</summary>
internal enum SplitBehavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous }

/// <summary>One step of a Hugging Face pre-tokenizer sequence; each refines the pieces of the previous one.</summary>
internal abstract record PreTokenizerStep
{
    public abstract void Apply(PreTokenizedText text);
}

/// <summary>
/// <c>Split</c> with a regex or literal pattern (Llama 3 and Qwen2 put their word regex here, followed by
/// <c>ByteLevel</c> without regex). <c>invert</c> means the pattern matches the pieces rather than the delimiters.
/// </summary>
internal sealed record SplitStep(CodePointRegex Pattern, SplitBehavior Behavior, bool Invert) : PreTokenizerStep
{
    public SplitStep(Regex pattern, SplitBehavior behavior, bool invert) : this(new CodePointRegex(pattern), behavior, invert)
    {
    }

    public override void Apply(PreTokenizedText text)
    {
        var result = new List<TextRange>();
        foreach (var range in text.Ranges)
        {
            // Rust's Pattern::find_matches: the piece cut into matches and the gaps between them.
            var parts = new List<(TextRange Range, bool IsMatch)>();
            var position = range.Start;
            foreach (var match in Pattern.Matches(text.Text, range.Start, range.Length))
            {
                if (match.Start > position) parts.Add((new TextRange(position, match.Start - position), false));
                parts.Add((match, true));
                position = match.Start + match.Length;
            }
            var end = range.Start + range.Length;
            if (position < end) parts.Add((new TextRange(position, end - position), false));
            result.AddRange(SplitBehaviors.Apply(Behavior, parts.Select(p => (p.Range, p.IsMatch != Invert)).ToList()));
        }
        text.Ranges = result;
    }
}

/// <summary><c>Digits</c>: numbers isolated (Rust: Contiguous on <c>char::is_numeric</c>), each digit alone when <c>individual_digits</c>.</summary>
internal sealed record DigitsStep(bool IndividualDigits) : PreTokenizerStep
{
    private static readonly SplitStep Single = new(new Regex(@"\p{N}", RegexOptions.CultureInvariant), SplitBehavior.Isolated, false);
    private static readonly SplitStep Runs = new(new Regex(@"\p{N}", RegexOptions.CultureInvariant), SplitBehavior.Contiguous, false);

    public override void Apply(PreTokenizedText text) => (IndividualDigits ? Single : Runs).Apply(text);
}

/// <summary>
/// <c>ByteLevel</c>: the optional prefix space on every piece, then (with <c>use_regex</c>) the GPT-2 regex. The
/// mapping of bytes to the byte-level alphabet happens in the tokenizer after all steps.
/// </summary>
internal sealed record ByteLevelStep(bool AddPrefixSpace, bool UseRegex) : PreTokenizerStep
{
    private static readonly SplitStep Gpt2Split = new(PreTokenizer.Gpt2, SplitBehavior.Isolated, false);

    public override void Apply(PreTokenizedText text)
    {
        if (AddPrefixSpace) text.PrefixSpaceToEachPiece();
        if (UseRegex) Gpt2Split.Apply(text);
    }
}

/// <summary>The pre-tokenizer chain of a byte-level BPE tokenizer.</summary>
internal sealed class PreTokenizer(IReadOnlyList<PreTokenizerStep> steps)
{
    /// <summary>GPT-2's word regex, used by ByteLevel when <c>use_regex</c> is true.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static readonly CodePointRegex Gpt2 = new(new Regex(Gpt2Pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled));

    /// <summary>GPT-2's own chain: ByteLevel with the regex and no prefix space.</summary>
    public static PreTokenizer Gpt2Default() => new([new ByteLevelStep(AddPrefixSpace: false, UseRegex: true)]);

    public PreTokenizedText Run(string text)
    {
        var result = new PreTokenizedText(text);
        foreach (var step in steps) step.Apply(result);
        return result;
    }
}
