using System.Text;

namespace Pipeline.Tokenizers;

/// <summary>One piece of input text: either an added token or ordinary text for the model.</summary>
internal readonly record struct TextPiece(int Start, int Length, AddedToken? Token);

/// <summary>
/// Splits text on added tokens with leftmost-longest matching, as Hugging Face's added vocabulary does,
/// so <c>&lt;|im_start|&gt;</c> in the text is one token and never BPE-merged.
/// </summary>
internal sealed class AddedTokenSplitter
{
    // Candidates grouped by first character, longest first, so the first hit at a position is the longest.
    private readonly Dictionary<char, AddedToken[]> byFirstChar;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    public List<TextPiece> Split(string text)
    {
        var pieces = new List<TextPiece>();
        var textStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var match = byFirstChar.Count == 0 ? null : MatchAt(text, i);
            if (match is null)
            {
                i++;
                continue;
            }
            if (match.SingleWord && !IsWholeWord(text, i, i + match.Content.Length))
            {
                // Rust's leftmost-longest search has already consumed this match; it drops it and searches on after
                // it, so neither a shorter token here nor one starting inside it is tried.
                i += match.Content.Length;
                continue;
            }

            var start = i;
            var end = i + match.Content.Length;
            if (match.LeftStrip)
            {
                while (start > textStart && char.IsWhiteSpace(text[start - 1])) start--;
            }
            if (match.RightStrip)
            {
                while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
            }
            if (start > textStart) pieces.Add(new TextPiece(textStart, start - textStart, null));
            pieces.Add(new TextPiece(start, end - start, match));
            textStart = end;
            i = end;
        }
        if (textStart < text.Length) pieces.Add(new TextPiece(textStart, text.Length - textStart, null));
        return pieces;
    }

    private AddedToken? MatchAt(string text, int position)
    {
        if (!byFirstChar.TryGetValue(text[position], out var candidates)) return null;
        foreach (var token in candidates)
        {
            if (token.Content.Length > text.Length - position) continue;
            if (string.CompareOrdinal(text, position, token.Content, 0, token.Content.Length) != 0) continue;
            return token;
        }
        return null;
    }

    /// <summary>added_vocabulary.rs: no <c>\w</c> character right before or right after the match.</summary>
    private static bool IsWholeWord(string text, int start, int end) =>
        (start == 0 || !WordCharacter.Is(Rune.GetRuneAt(text, IndexOfRuneBefore(text, start))))
        && (end == text.Length || !WordCharacter.Is(RuneAt(text, end)));

    private static int IndexOfRuneBefore(string text, int index) =>
        index >= 2 && char.IsLowSurrogate(text[index - 1]) && char.IsHighSurrogate(text[index - 2]) ? index - 2 : index - 1;

    private static Rune RuneAt(string text, int index) =>
        Rune.TryGetRuneAt(text, index, out var rune) ? rune : Rune.ReplacementChar;
}
