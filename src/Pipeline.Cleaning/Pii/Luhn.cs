namespace Pipeline.Cleaning.Pii;

/// <summary>The Luhn (mod 10) check used by payment-card numbers.</summary>
public static class Luhn
{
    /// <summary>True when the digits (separators ignored) end in a correct Luhn check digit.</summary>
    public static bool IsValid(ReadOnlySpan<char> number)
    {
        var sum = 0;
        var count = 0;
        for (var i = number.Length - 1; i >= 0; i--)
        {
            var c = number[i];
            if (c is ' ' or '-')
                continue;
            if (!char.IsAsciiDigit(c))
                return false;
            sum += Weigh(c - '0', doubled: count % 2 == 1);
            count++;
        }
        return count >= 2 && sum % 10 == 0;
    }

    /// <summary>The digit that, appended to <paramref name="payload"/>, makes it Luhn-valid.</summary>
    public static int CheckDigit(ReadOnlySpan<char> payload)
    {
        var sum = 0;
        var count = 0;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(payload[i]))
                throw new ArgumentException($"Luhn payload may contain only digits; found '{payload[i]}' at position {i}.", nameof(payload));
            // The check digit will sit at position 0 from the right, so the payload's last digit is doubled.
            sum += Weigh(payload[i] - '0', doubled: count % 2 == 0);
            count++;
        }
        return (10 - sum % 10) % 10;
    }

    private static int Weigh(int digit, bool doubled)
    {
        if (!doubled)
            return digit;
        var twice = digit * 2;
        return twice > 9 ? twice - 9 : twice;
    }
}
