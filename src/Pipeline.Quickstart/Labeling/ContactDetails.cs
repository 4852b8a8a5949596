using System.Text.RegularExpressions;

namespace Pipeline.Quickstart.Labeling;

/// <summary>
/// Finds phone numbers and e-mail addresses in a customer message, and tells whether a reply repeats one.
/// A phone number counts as repeated when the reply holds a digit run that shares its last seven digits,
/// whatever the separators: "555-0143" written as "5550143" or "(202) 555 0143" is still the customer's number.
/// </summary>
public static partial class ContactDetails
{
    /// <summary>Digits a phone number must share with the message's to count as a repeat (a local number's length).</summary>
    public const int RepeatedPhoneDigits = 7;

    public static IReadOnlyList<string> Emails(string text) => EmailPattern().Matches(text).Select(m => m.Value).ToList();

    /// <summary>Digit runs of 7 to 15 digits, separated by spaces, dots, dashes or parentheses, optionally after a +.</summary>
    public static IReadOnlyList<string> PhoneNumbers(string text) =>
        PhonePattern().Matches(text).Select(m => m.Value.Trim()).Where(v => DigitsOf(v).Length is >= RepeatedPhoneDigits and <= 15).ToList();

    /// <summary>The phone numbers and e-mails of <paramref name="message"/> that <paramref name="reply"/> repeats.</summary>
    public static IReadOnlyList<string> RepeatedIn(string message, string reply)
    {
        var repeated = new List<string>();
        foreach (var email in Emails(message))
            if (reply.Contains(email, StringComparison.OrdinalIgnoreCase))
                repeated.Add(email);
        var replyDigitRuns = PhonePattern().Matches(reply).Select(m => DigitsOf(m.Value)).ToList();
        foreach (var phone in PhoneNumbers(message))
        {
            var tail = DigitsOf(phone)[^RepeatedPhoneDigits..];
            if (replyDigitRuns.Any(run => run.Contains(tail, StringComparison.Ordinal)))
                repeated.Add(phone);
        }
        return repeated;
    }

    private static string DigitsOf(string text) => new(text.Where(char.IsAsciiDigit).ToArray());

    [GeneratedRegex(@"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    // A run starts at a digit, '+' or '(' that does not continue a word ("AC-48213" is an order number, not a phone).
    [GeneratedRegex(@"(?<![\w-])[+(]?\d[\d ().-]*\d(?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
