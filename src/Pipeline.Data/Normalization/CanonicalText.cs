using System.Text;

namespace Pipeline.Data.Normalization;

/// <summary>
/// Canonical text, so that exact de-duplication sees through cosmetic differences and models never train on
/// invisible characters. Steps, in order: line endings to '\n'; control characters (except '\n', '\t') and
/// zero-width characters removed; Unicode NFC (<see cref="UnicodeNfc"/>: the runtime's is a no-op under InvariantGlobalization); per line, runs of spaces/tabs inside the line collapsed to one space
/// and trailing blanks dropped; more than two blank lines in a row collapsed to two; the whole text trimmed.
/// </summary>
public static class CanonicalText
{
    /// <summary>
    /// Removed: zero-width space, word joiner, zero-width no-break space (BOM), Mongolian vowel separator.
    /// Kept on purpose: zero-width (non-)joiner U+200C/U+200D, which spell emoji sequences and Persian and Indic words.
    /// </summary>
    private static bool IsRemovedZeroWidth(char c) => c is '\u200B' or '\u2060' or '\uFEFF' or '\u180E';

    public static string Normalize(string text)
    {
        if (text.Length == 0) return text;
        string cleaned = RemoveInvisibles(NormalizeLineEndings(text));
        string composed = UnicodeNfc.Normalize(cleaned);
        return CollapseBlankLines(CollapseSpacesPerLine(composed)).Trim();
    }

    /// <summary>"\r\n", lone "\r", NEL, U+2028 and U+2029 become '\n'.</summary>
    public static string NormalizeLineEndings(string text)
    {
        if (text.AsSpan().IndexOfAny("\r\u0085\u2028\u2029") < 0) return text;
        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r')
            {
                result.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
            }
            else result.Append(c is '\u0085' or '\u2028' or '\u2029' ? '\n' : c);
        }
        return result.ToString();
    }

    /// <summary>Drops control characters other than '\n' and '\t', and the zero-width characters listed above.</summary>
    public static string RemoveInvisibles(string text)
    {
        int first = 0;
        while (first < text.Length && !IsRemoved(text[first])) first++;
        if (first == text.Length) return text;
        var result = new StringBuilder(text.Length);
        result.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            if (!IsRemoved(text[i])) result.Append(text[i]);
        }
        return result.ToString();
    }

    /// <summary>Control characters (category Cc: U+0000–U+001F, U+007F–U+009F) other than '\n', '\t'; the zero-width ones.</summary>
    private static bool IsRemoved(char c) =>
        c < '\u0020' ? c is not ('\n' or '\t') : c is >= '\u007F' and <= '\u009F' || IsRemovedZeroWidth(c);

    /// <summary>
    /// Within each line, a run of spaces and tabs becomes one space and trailing blanks go. Leading indentation is
    /// kept as it is, because code blocks in replies depend on it.
    /// </summary>
    public static string CollapseSpacesPerLine(string text)
    {
        if (!NeedsSpaceCollapse(text)) return text;
        var result = new StringBuilder(text.Length);
        int start = 0;
        while (true)
        {
            int end = text.IndexOf('\n', start);
            var line = text.AsSpan(start, (end < 0 ? text.Length : end) - start);
            int indent = 0;
            while (indent < line.Length && line[indent] is ' ' or '\t') indent++;
            if (indent < line.Length) // a blank line keeps none of its spaces
            {
                result.Append(line[..indent]);
                bool pendingSpace = false;
                foreach (char c in line[indent..])
                {
                    if (c is ' ' or '\t')
                    {
                        pendingSpace = true;
                        continue;
                    }
                    if (pendingSpace) result.Append(' ');
                    pendingSpace = false;
                    result.Append(c);
                }
            }
            if (end < 0) return result.ToString();
            result.Append('\n');
            start = end + 1;
        }
    }

    /// <summary>Whether any line has a tab, two blanks in a row or a trailing blank (most text has none).</summary>
    private static bool NeedsSpaceCollapse(string text) =>
        text.Contains('\t') || text.Contains("  ", StringComparison.Ordinal) || text.Contains(" \n", StringComparison.Ordinal) || text.EndsWith(' ');

    /// <summary>Three or more blank lines in a row become two ("\n\n\n\n" and longer become "\n\n\n").</summary>
    public static string CollapseBlankLines(string text)
    {
        if (!text.Contains("\n\n\n\n", StringComparison.Ordinal)) return text;
        var result = new StringBuilder(text.Length);
        int newlines = 0;
        foreach (char c in text)
        {
            if (c == '\n')
            {
                if (++newlines > 3) continue;
            }
            else newlines = 0;
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>The example with every message, chosen and rejected normalized; id and source unchanged.</summary>
    public static Example Normalize(Example example)
    {
        var messages = new ChatMessage[example.Messages.Count];
        bool changed = false;
        for (int i = 0; i < messages.Length; i++)
        {
            var message = example.Messages[i];
            string content = Normalize(message.Content);
            changed |= content != message.Content;
            messages[i] = content == message.Content ? message : message with { Content = content };
        }
        string? chosen = example.Chosen is null ? null : Normalize(example.Chosen);
        string? rejected = example.Rejected is null ? null : Normalize(example.Rejected);
        changed |= chosen != example.Chosen || rejected != example.Rejected;
        return changed ? example with { Messages = messages, Chosen = chosen, Rejected = rejected } : example;
    }
}
