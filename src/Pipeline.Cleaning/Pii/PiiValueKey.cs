namespace Pipeline.Cleaning.Pii;

/// <summary>
/// The identity of a found value for placeholder consistency: "+1-202-555-0143" and
/// "+1 202 555 0143" are one phone, "Anna@Example.com" and "anna@example.com" one e-mail.
/// Keys live only inside one Scrub call.
/// </summary>
internal static class PiiValueKey
{
    public static string Of(PiiType type, ReadOnlySpan<char> value) => type switch
    {
        PiiType.Phone or PiiType.Card => DigitsOf(value, keepPlus: type == PiiType.Phone),
        PiiType.Iban => value.ToString().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(),
        PiiType.Email or PiiType.IpAddress or PiiType.Name => value.ToString().ToLowerInvariant(),
        _ => value.ToString(),
    };

    private static string DigitsOf(ReadOnlySpan<char> value, bool keepPlus)
    {
        var digits = new System.Text.StringBuilder(value.Length);
        foreach (var c in value)
            if (char.IsAsciiDigit(c) || (keepPlus && c == '+' && digits.Length == 0))
                digits.Append(c);
        return digits.ToString();
    }
}
