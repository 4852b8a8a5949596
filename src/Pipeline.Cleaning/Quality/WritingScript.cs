using System.Text;

namespace Pipeline.Cleaning.Quality;

/// <summary>Writing systems the language filter can tell apart, by Unicode block.</summary>
public enum WritingScript
{
    Other,
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    Devanagari,
    Bengali,
    Tamil,
    Thai,
    Georgian,
    Hangul,
    Hiragana,
    Katakana,
    Han,
}

public static class WritingScripts
{
    /// <summary>The script of a letter (for a non-letter the answer is meaningless; callers check <see cref="Rune.IsLetter"/> first).</summary>
    public static WritingScript Of(Rune rune)
    {
        var c = rune.Value;
        return c switch
        {
            (>= 0x41 and <= 0x5A) or (>= 0x61 and <= 0x7A) or (>= 0xC0 and <= 0x24F) or (>= 0x250 and <= 0x2AF)
                or (>= 0x1E00 and <= 0x1EFF) or (>= 0x2C60 and <= 0x2C7F) or (>= 0xA720 and <= 0xA7FF)
                or (>= 0xAB30 and <= 0xAB6F) or (>= 0xFF21 and <= 0xFF3A) or (>= 0xFF41 and <= 0xFF5A) => WritingScript.Latin,
            (>= 0x370 and <= 0x3FF) or (>= 0x1F00 and <= 0x1FFF) => WritingScript.Greek,
            (>= 0x400 and <= 0x52F) or (>= 0x1C80 and <= 0x1C8F) or (>= 0x2DE0 and <= 0x2DFF) or (>= 0xA640 and <= 0xA69F) => WritingScript.Cyrillic,
            >= 0x530 and <= 0x58F => WritingScript.Armenian,
            (>= 0x590 and <= 0x5FF) or (>= 0xFB1D and <= 0xFB4F) => WritingScript.Hebrew,
            (>= 0x600 and <= 0x6FF) or (>= 0x750 and <= 0x77F) or (>= 0x8A0 and <= 0x8FF)
                or (>= 0xFB50 and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF) => WritingScript.Arabic,
            >= 0x900 and <= 0x97F => WritingScript.Devanagari,
            >= 0x980 and <= 0x9FF => WritingScript.Bengali,
            >= 0xB80 and <= 0xBFF => WritingScript.Tamil,
            >= 0xE00 and <= 0xE7F => WritingScript.Thai,
            (>= 0x10A0 and <= 0x10FF) or (>= 0x2D00 and <= 0x2D2F) => WritingScript.Georgian,
            (>= 0x1100 and <= 0x11FF) or (>= 0x3130 and <= 0x318F) or (>= 0xAC00 and <= 0xD7AF) => WritingScript.Hangul,
            >= 0x3040 and <= 0x309F => WritingScript.Hiragana,
            (>= 0x30A0 and <= 0x30FF) or (>= 0x31F0 and <= 0x31FF) or (>= 0xFF66 and <= 0xFF9F) => WritingScript.Katakana,
            (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3134F) => WritingScript.Han,
            _ => WritingScript.Other,
        };
    }
}
