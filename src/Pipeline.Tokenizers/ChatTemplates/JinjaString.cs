namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>String helpers that behave as Jinja (Python) does, so rendering is byte-exact.</summary>
internal static class JinjaString
{
    /// <summary>
    /// Jinja's <c>trim</c> is Python's <c>str.strip()</c>, whose whitespace includes U+001C–U+001F
    /// (which .NET's <c>Trim()</c> keeps) besides the Unicode White_Space characters.
    /// </summary>
    public static string Trim(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsPythonWhitespace(text[start])) start++;
        while (end > start && IsPythonWhitespace(text[end - 1])) end--;
        return text[start..end];
    }

    public static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    /// <summary>Escapes text for a single-quoted Jinja string literal.</summary>
    public static string EscapeSingleQuoted(string text) =>
        text.Replace("\\", "\\\\").Replace("'", "\\'").Replace("\n", "\\n");
}
