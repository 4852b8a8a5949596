using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>E-mail addresses: local part, @, dotted domain ending in an alphabetic TLD.</summary>
public sealed partial class EmailDetector : IPiiDetector
{
    public PiiType Type => PiiType.Email;

    public IEnumerable<PiiSpan> Detect(string text)
    {
        foreach (Match match in EmailPattern().Matches(text))
            yield return new PiiSpan(match.Index, match.Length, Type);
    }

    [GeneratedRegex(
        @"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])",
        RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
