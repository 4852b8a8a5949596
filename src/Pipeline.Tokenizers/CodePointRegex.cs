using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Tokenizers;

/// <summary>
/// A pre-tokenizer regex matched by Unicode code point, as the Rust engines behind Hugging Face tokenizers
/// (Oniguruma) and tiktoken (fancy-regex) match it. .NET's regex sees UTF-16 code units, so <c>\p{L}</c> and
/// <c>\p{N}</c> never match a character above U+FFFF (𝐀, 𝟙, 𐐀, 𠮷 are surrogate pairs, category Cs per unit),
/// and <c>\p{N}{1,3}</c> would count units. The regex therefore runs on a stand-in of the text in which each
/// supplementary character is one BMP character of the same general category (see <see cref="StandIn"/>);
/// matches are mapped back to the text. Patterns that only test categories, <c>\s</c>, <c>\w</c>, <c>\d</c>,
/// <c>.</c> and ASCII literals (GPT-2, cl100k, o200k, Llama 3, Qwen2, DeepSeek) then match exactly as in Rust.
/// </summary>
internal sealed class CodePointRegex(Regex regex)
{
    public Regex Regex { get; } = regex;

    /// <summary>Non-empty matches in <c>text[start, start + length)</c>, in text coordinates.</summary>
    public List<TextRange> Matches(string text, int start, int length)
    {
        var result = new List<TextRange>();
        var span = text.AsSpan(start, length);
        if (span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            // Only BMP characters: code units are code points, so the regex runs on the text itself.
            foreach (var m in Regex.EnumerateMatches(span))
            {
                if (m.Length > 0) result.Add(new TextRange(start + m.Index, m.Length));
            }
            return result;
        }

        var (standIn, toText) = Project(span);
        foreach (var m in Regex.EnumerateMatches(standIn))
        {
            if (m.Length == 0) continue;
            var from = toText[m.Index];
            result.Add(new TextRange(start + from, toText[m.Index + m.Length] - from));
        }
        return result;
    }

    /// <summary>
    /// The stand-in text and, for each of its positions (plus the end), the position in <paramref name="span"/>.
    /// A lone surrogate stays itself (category Cs), as it is not a code point the Rust side could ever see.
    /// </summary>
    internal static (string StandIn, int[] ToText) Project(ReadOnlySpan<char> span)
    {
        var builder = new StringBuilder(span.Length);
        var toText = new List<int>(span.Length + 1);
        for (var i = 0; i < span.Length;)
        {
            toText.Add(i);
            if (Rune.DecodeFromUtf16(span[i..], out var rune, out var consumed) == System.Buffers.OperationStatus.Done && consumed == 2)
            {
                builder.Append(StandIn(Rune.GetUnicodeCategory(rune)));
                i += 2;
            }
            else
            {
                builder.Append(span[i]);
                i++;
            }
        }
        toText.Add(span.Length);
        return (builder.ToString(), toText.ToArray());
    }

    /// <summary>
    /// A BMP character of <paramref name="category"/> that no tokenizer pattern names literally: not ASCII (so
    /// <c>'s</c> or <c>[0-9]</c> cannot match it), not in the CJK or kana ranges some patterns list, and not a
    /// case-fold partner of an ASCII letter (as U+212A KELVIN SIGN is of k).
    /// </summary>
    internal static char StandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => '\u2C00',      // Ⰰ GLAGOLITIC CAPITAL LETTER AZU
        UnicodeCategory.LowercaseLetter => '\u2C30',      // ⰰ GLAGOLITIC SMALL LETTER AZU
        UnicodeCategory.TitlecaseLetter => '\u01C5',      // ǅ
        UnicodeCategory.ModifierLetter => '\u02B0',       // ʰ
        UnicodeCategory.OtherLetter => '\uA000',          // ꀀ YI SYLLABLE IT
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.DecimalDigitNumber => '\u0660',   // ٠ ARABIC-INDIC DIGIT ZERO
        UnicodeCategory.LetterNumber => '\u2160',         // Ⅰ ROMAN NUMERAL ONE
        UnicodeCategory.OtherNumber => '\u2460',          // ① CIRCLED DIGIT ONE
        UnicodeCategory.SpaceSeparator => '\u3000',
        UnicodeCategory.LineSeparator => '\u2028',
        UnicodeCategory.ParagraphSeparator => '\u2029',
        UnicodeCategory.Control => '\u0080',
        UnicodeCategory.Format => '\u2060',               // WORD JOINER
        UnicodeCategory.PrivateUse => '\uE000',
        UnicodeCategory.ConnectorPunctuation => '\u203F', // ‿
        UnicodeCategory.DashPunctuation => '\u2010',      // ‐
        UnicodeCategory.OpenPunctuation => '\u2045',      // ⁅
        UnicodeCategory.ClosePunctuation => '\u2046',     // ⁆
        UnicodeCategory.InitialQuotePunctuation => '\u2039',
        UnicodeCategory.FinalQuotePunctuation => '\u203A',
        UnicodeCategory.OtherPunctuation => '\u203B',     // ※
        UnicodeCategory.MathSymbol => '\u2200',           // ∀
        UnicodeCategory.CurrencySymbol => '\u20A0',
        UnicodeCategory.ModifierSymbol => '\u02C2',
        UnicodeCategory.OtherSymbol => '\u2600',          // ☀
        _ => '\u0378',                                    // unassigned (OtherNotAssigned; Surrogate cannot occur)
    };
}
