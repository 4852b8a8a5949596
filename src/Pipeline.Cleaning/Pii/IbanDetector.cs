using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// IBANs, compact or in groups of four. The candidate pattern may run on into following
/// upper-case words ("... 0130 00 TO ME"), so it is cut to the length the country prescribes
/// before the mod-97 check.
/// </summary>
public sealed partial class IbanDetector : IPiiDetector
{
    public PiiType Type => PiiType.Iban;

    public IEnumerable<PiiSpan> Detect(string text)
    {
        foreach (Match match in CandidatePattern().Matches(text))
        {
            if (!IbanChecksum.LengthByCountry.TryGetValue(match.Value[..2], out var length))
                continue;
            var end = EndAfterCharacters(text, match.Index, match.Index + match.Length, length);
            if (end < 0 || (end < text.Length && char.IsAsciiLetterOrDigit(text[end])))
                continue;
            var compact = text[match.Index..end].Replace(" ", "", StringComparison.Ordinal);
            if (IbanChecksum.IsValid(compact))
                yield return new PiiSpan(match.Index, end - match.Index, Type);
        }
    }

    /// <summary>Index just past the <paramref name="count"/>-th non-space character, or −1 if the candidate is shorter.</summary>
    private static int EndAfterCharacters(string text, int start, int limit, int count)
    {
        for (var i = start; i < limit; i++)
        {
            if (text[i] != ' ' && --count == 0)
                return i + 1;
        }
        return -1;
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}", RegexOptions.CultureInvariant)]
    private static partial Regex CandidatePattern();
}
