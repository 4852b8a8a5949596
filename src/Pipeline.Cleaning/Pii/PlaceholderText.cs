using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>Placeholders as text, for comparisons made after scrubbing.</summary>
public static partial class PlaceholderText
{
    /// <summary>
    /// "&lt;NAME_1&gt;" → "&lt;NAME&gt;". Placeholder numbers depend on how many distinct values of a type an example
    /// holds, so a variant that adds a second name ("… Thanks, Tom!") renumbers the first everywhere; near-duplicate
    /// detection compares the unnumbered form, or that one appended word would change most shingles.
    /// </summary>
    public static string WithoutNumbers(string text) =>
        text.Contains('<') ? NumberedPlaceholder().Replace(text, "<$1>") : text;

    [GeneratedRegex(@"<(EMAIL|PHONE|CARD|IBAN|IP|CREDENTIAL|SECRET|NAME)_\d+>", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedPlaceholder();
}
