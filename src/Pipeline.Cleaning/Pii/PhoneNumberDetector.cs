using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Phone numbers in international (+CC ...), parenthesized-area-code, national trunk-prefix
/// (0xx ...) and North American (555-123-4567) formats. A candidate of digit groups is accepted
/// only in one of those shapes, which is what keeps dates (2024-03-15, 15/03/2024), versions
/// (3.10.8), prices (1,299.99), times and order numbers out: they start with neither + nor ( nor 0,
/// use / , : as separators, or have too few digits.
/// </summary>
public sealed partial class PhoneNumberDetector : IPiiDetector
{
    public PiiType Type => PiiType.Phone;

    public IEnumerable<PiiSpan> Detect(string text)
    {
        foreach (Match match in CandidatePattern().Matches(text))
            if (IsPhoneShaped(match.Value))
                yield return new PiiSpan(match.Index, match.Length, Type);
    }

    public static bool IsPhoneShaped(string candidate)
    {
        var digits = candidate.Count(char.IsAsciiDigit);
        switch (candidate[0])
        {
            case '+':
                // E.164 allows at most 15 digits; fewer than 8 is not a full number.
                return digits is >= 8 and <= 15;
            case '(':
                return digits == 10 || (candidate.Length > 1 && candidate[1] == '0' && digits is >= 9 and <= 12);
            case '0':
                // National format with a trunk prefix: needs a space or dash between groups
                // (an unbroken 0-leading run is as likely an ISBN or account number) and no dots
                // (01.02.2024 is a date).
                return digits is >= 9 and <= 12
                       && !candidate.Contains('.')
                       && candidate.AsSpan().IndexOfAny(' ', '-') > 0;
            default:
                return NorthAmericanPattern().IsMatch(candidate);
        }
    }

    [GeneratedRegex(
        @"(?<![\w+#$€£¥.,/:-])(?:\+\d{1,3}(?:[ .-]?\(0\))?[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{1,5}(?:[ .-]\d{2,8}){0,5}(?!\w|[.,/:-]?\d|%)",
        RegexOptions.CultureInvariant)]
    private static partial Regex CandidatePattern();

    [GeneratedRegex(@"^(?:1[ .-])?\d{3}([ .-])\d{3}\1\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex NorthAmericanPattern();
}
