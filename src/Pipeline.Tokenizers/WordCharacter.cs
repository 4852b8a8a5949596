using System.Globalization;
using System.Text;

namespace Pipeline.Tokenizers;

/// <summary>
/// The Rust regex crate's Unicode <c>\w</c>, which Hugging Face tokenizers uses for <c>single_word</c> added tokens:
/// Alphabetic, marks, decimal digits, connector punctuation and Join_Control. .NET has no Alphabetic property:
/// it is the letters and letter numbers plus Other_Alphabetic, which is marks (already in) and the circled and
/// squared Latin letters listed here. Unlike <c>char.IsLetterOrDigit</c> this counts '_', combining marks, Ⅰ and
/// characters above U+FFFF.
/// </summary>
internal static class WordCharacter
{
    public static bool Is(Rune rune)
    {
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation:
                return true;
        }
        var value = rune.Value;
        return value is 0x200C or 0x200D                // Join_Control
            || value is >= 0x24B6 and <= 0x24E9         // Ⓐ..ⓩ
            || value is >= 0x1F130 and <= 0x1F149       // 🄰..🅉
            || value is >= 0x1F150 and <= 0x1F169       // 🅐..🅩
            || value is >= 0x1F170 and <= 0x1F189;      // 🅰..🆉
    }
}
