using System.Globalization;
using System.Text;

namespace Pipeline.Tokenizers.Tests;

/// <summary>
/// A deliberately plain, hand-written matcher for the GPT-2 and cl100k-family (cl100k, Llama 3, Qwen2) word patterns,
/// working on Unicode code points as the Rust regex engines do. It shares nothing with the regex-based pre-tokenizer
/// it checks. The case-insensitive contractions compare ASCII only, so generated text avoids U+017F and U+212A.
/// </summary>
internal static class CodePointSplitReference
{
    /// <summary><c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>.</summary>
    public static List<string> Gpt2(string text)
    {
        var c = Runes(text);
        return Pieces(c, i =>
            Contraction(c, i, ignoreCase: false)
            ?? WithOptionalSpace(c, i, IsLetter)
            ?? WithOptionalSpace(c, i, IsNumber)
            ?? WithOptionalSpace(c, i, IsOther)
            ?? WhitespaceNotBeforeNonSpace(c, i)
            ?? WhitespaceRun(c, i));
    }

    /// <summary>
    /// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,max}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>
    /// with max 3 (cl100k, Llama 3) or 1 (Qwen2).
    /// </summary>
    public static List<string> Cl100kFamily(string text, int maxDigits)
    {
        var c = Runes(text);
        return Pieces(c, i =>
            Contraction(c, i, ignoreCase: true)
            ?? LetterRunWithOptionalLead(c, i)
            ?? NumberRun(c, i, maxDigits)
            ?? OtherRunThenLineBreaks(c, i)
            ?? WhitespaceEndingInLineBreak(c, i)
            ?? WhitespaceNotBeforeNonSpace(c, i)
            ?? WhitespaceRun(c, i));
    }

    private static int[] Runes(string text) => text.EnumerateRunes().Select(r => r.Value).ToArray();

    /// <summary>Scans left to right; at each position the first alternative that matches gives the end of the piece.</summary>
    private static List<string> Pieces(int[] c, Func<int, int?> matchAt)
    {
        var pieces = new List<string>();
        var i = 0;
        while (i < c.Length)
        {
            var end = matchAt(i);
            if (end is not { } e || e <= i) throw new InvalidOperationException($"no alternative matches at code point {i}");
            pieces.Add(string.Concat(c[i..e].Select(char.ConvertFromUtf32)));
            i = e;
        }
        return pieces;
    }

    private static UnicodeCategory Category(int cp) => Rune.GetUnicodeCategory(new Rune(cp));

    private static bool IsLetter(int cp) => Category(cp) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
        or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;

    private static bool IsNumber(int cp) =>
        Category(cp) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>Unicode White_Space.</summary>
    private static bool IsSpace(int cp) => cp is >= 0x09 and <= 0x0D or 0x20 or 0x85 or 0xA0 or 0x1680
        or >= 0x2000 and <= 0x200A or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    private static bool IsOther(int cp) => !IsSpace(cp) && !IsLetter(cp) && !IsNumber(cp);

    private static bool IsLineBreak(int cp) => cp is '\r' or '\n';

    private static int RunEnd(int[] c, int from, Func<int, bool> member)
    {
        var j = from;
        while (j < c.Length && member(c[j])) j++;
        return j;
    }

    private static int? Contraction(int[] c, int i, bool ignoreCase)
    {
        if (c[i] != '\'') return null;
        foreach (var suffix in new[] { "s", "t", "re", "ve", "m", "ll", "d" })
        {
            if (i + suffix.Length >= c.Length) continue;
            var all = true;
            for (var k = 0; k < suffix.Length && all; k++)
            {
                var cp = c[i + 1 + k];
                all = cp == suffix[k] || (ignoreCase && cp == char.ToUpperInvariant(suffix[k]));
            }
            if (all) return i + 1 + suffix.Length;
        }
        return null;
    }

    private static int? WithOptionalSpace(int[] c, int i, Func<int, bool> member)
    {
        var start = c[i] == ' ' && i + 1 < c.Length && member(c[i + 1]) ? i + 1 : i;
        return member(c[start]) ? RunEnd(c, start, member) : null;
    }

    private static int? LetterRunWithOptionalLead(int[] c, int i)
    {
        if (IsLetter(c[i])) return RunEnd(c, i, IsLetter);
        var leadOk = !IsLineBreak(c[i]) && !IsLetter(c[i]) && !IsNumber(c[i]);
        return leadOk && i + 1 < c.Length && IsLetter(c[i + 1]) ? RunEnd(c, i + 1, IsLetter) : null;
    }

    private static int? NumberRun(int[] c, int i, int max)
    {
        var j = i;
        while (j < c.Length && j - i < max && IsNumber(c[j])) j++;
        return j > i ? j : null;
    }

    private static int? OtherRunThenLineBreaks(int[] c, int i)
    {
        var start = c[i] == ' ' && i + 1 < c.Length && IsOther(c[i + 1]) ? i + 1 : i;
        if (!IsOther(c[start])) return null;
        return RunEnd(c, RunEnd(c, start, IsOther), IsLineBreak);
    }

    /// <summary><c>\s*[\r\n]+</c>: the whitespace run, backtracked to its last line break.</summary>
    private static int? WhitespaceEndingInLineBreak(int[] c, int i)
    {
        var end = RunEnd(c, i, IsSpace);
        for (var k = end - 1; k >= i; k--)
        {
            if (IsLineBreak(c[k])) return k + 1;
        }
        return null;
    }

    /// <summary><c>\s+(?!\S)</c>: the whitespace run, less its last character when a non-space follows.</summary>
    private static int? WhitespaceNotBeforeNonSpace(int[] c, int i)
    {
        var end = RunEnd(c, i, IsSpace);
        if (end == i) return null;
        if (end == c.Length) return end;
        return end - 1 > i ? end - 1 : null;
    }

    private static int? WhitespaceRun(int[] c, int i)
    {
        var end = RunEnd(c, i, IsSpace);
        return end > i ? end : null;
    }
}
