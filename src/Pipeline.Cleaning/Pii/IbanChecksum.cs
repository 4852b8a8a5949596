namespace Pipeline.Cleaning.Pii;

/// <summary>
/// ISO 13616 IBAN validation: known country, the country's length, and the mod-97 check
/// (move the first four characters to the end, letters become 10..35, the number mod 97 is 1).
/// </summary>
public static class IbanChecksum
{
    /// <summary>IBAN length per country (SWIFT IBAN registry).</summary>
    public static readonly IReadOnlyDictionary<string, int> LengthByCountry = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22,
        ["BH"] = 22, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22,
        ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27,
        ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28,
        ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20,
        ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MD"] = 24,
        ["ME"] = 22, ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18, ["NO"] = 15, ["PK"] = 24,
        ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24, ["SC"] = 31,
        ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25, ["SV"] = 28, ["TL"] = 23, ["TN"] = 24,
        ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
    };

    /// <summary>True for a compact (no spaces), upper-case IBAN of a known country, length and check.</summary>
    public static bool IsValid(ReadOnlySpan<char> iban)
    {
        if (iban.Length < 5 || !LengthByCountry.TryGetValue(iban[..2].ToString(), out var length) || iban.Length != length)
            return false;
        if (!char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]))
            return false;
        return Mod97(iban[4..], iban[..4]) == 1;
    }

    /// <summary>The two check digits for a country and BBAN, e.g. ("DE", "370400440532013000") → "89".</summary>
    public static string ComputeCheckDigits(string country, string bban)
    {
        if (country.Length != 2 || !char.IsAsciiLetterUpper(country[0]) || !char.IsAsciiLetterUpper(country[1]))
            throw new ArgumentException($"IBAN country must be two upper-case letters; got \"{country}\".", nameof(country));
        var remainder = Mod97(bban, country + "00");
        return (98 - remainder).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>(first ++ second) read as a number with A=10..Z=35, mod 97, digit by digit.</summary>
    private static int Mod97(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        var remainder = 0;
        foreach (var part in new[] { first.ToString(), second.ToString() })
        foreach (var c in part)
        {
            if (char.IsAsciiDigit(c))
                remainder = (remainder * 10 + (c - '0')) % 97;
            else if (char.IsAsciiLetterUpper(c))
                remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            else
                return -1; // not an IBAN character: never equals 1
        }
        return remainder;
    }
}
