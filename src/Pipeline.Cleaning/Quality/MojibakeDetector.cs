using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Quality;

/// <summary>
/// Counts the traces of UTF-8 decoded as Latin-1 or Windows-1252: a UTF-8 lead byte read as
/// Â..ß (two-byte sequences) or à..ï (three-byte) followed by characters that continuation bytes
/// 0x80–0xBF become ("Ã©" for é, "â€™" for ’, "Â " for a no-break space), plus U+FFFD, the
/// replacement character a decoder leaves for invalid bytes.
/// </summary>
public static partial class MojibakeDetector
{
    public static int CountMarkers(string text)
    {
        var count = 0;
        foreach (var c in text)
            if (c == '\uFFFD')
                count++;
        return count + MojibakePattern().Count(text);
    }

    // Continuation bytes 0x80–0xBF as Latin-1 (U+0080–U+00BF) or as Windows-1252 (the 0x80–0x9F
    // range maps to € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ).
    private const string Continuation = "[\u0080-\u00BF\u20AC\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u017D\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u017E\u0178]";

    [GeneratedRegex("[\u00C2-\u00DF]" + Continuation + "|[\u00E0-\u00EF]" + Continuation + Continuation, RegexOptions.CultureInvariant)]
    private static partial Regex MojibakePattern();
}
