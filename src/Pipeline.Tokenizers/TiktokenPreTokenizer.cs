using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Pipeline.Tokenizers;

/// <summary>
/// The pre-tokenizer handed to Microsoft.ML.Tokenizers' TiktokenTokenizer in place of its RegexPreTokenizer, whose
/// regex sees UTF-16 code units: special tokens are cut out first (longest at each position, as
/// RegexPreTokenizer's alternation of them does for tokens that are not prefixes of each other) and the text between
/// them is split by code point, as tiktoken's fancy-regex splits it.
/// </summary>
internal sealed class TiktokenPreTokenizer(Regex pattern, IReadOnlyDictionary<string, int> specialTokens)
    : Microsoft.ML.Tokenizers.PreTokenizer
{
    private readonly CodePointRegex pattern = new(pattern);
    private readonly AddedTokenSplitter specials = new(specialTokens.Select(t => new AddedToken(t.Value, t.Key, Special: true)));

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        string.IsNullOrEmpty(text) ? [] : Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) =>
        text.IsEmpty ? [] : Split(text.ToString());

    private List<(int Offset, int Length)> Split(string text)
    {
        var result = new List<(int, int)>();
        foreach (var piece in specials.Split(text))
        {
            if (piece.Token is not null)
            {
                result.Add((piece.Start, piece.Length));
                continue;
            }
            foreach (var match in this.pattern.Matches(text, piece.Start, piece.Length)) result.Add((match.Start, match.Length));
        }
        return result;
    }
}
