using System.Text;

namespace Pipeline.Cleaning;

/// <summary>Text normal forms shared by the near-duplicate shingler and the quality filters.</summary>
public static class ComparisonText
{
    /// <summary>
    /// Lower case, letters and digits only, one space between words: "Hello,  World!" → "hello world".
    /// Two texts equal in this form differ only in case, punctuation and spacing.
    /// </summary>
    public static string ForComparison(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                if (pendingSpace && builder.Length > 0)
                    builder.Append(' ');
                pendingSpace = false;
                builder.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                pendingSpace = true;
            }
        }
        return builder.ToString();
    }

    /// <summary>Trimmed, every whitespace run one space: keeps case and punctuation, which can be all that tells two code answers apart.</summary>
    public static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The words of <see cref="ForComparison"/>.</summary>
    public static string[] Words(string text) =>
        ForComparison(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
