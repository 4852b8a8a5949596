using Pipeline.Cleaning.Pii;

namespace Pipeline.Cleaning.Tests.Pii;

/// <summary>Edge cases of single detectors, where the corpus would hide the reason for a failure.</summary>
public sealed class PiiDetectorTests
{
    private static List<string> Found(IPiiDetector detector, string text) =>
        [.. detector.Detect(text).Select(s => text.Substring(s.Start, s.Length))];

    [Theory]
    [InlineData("+44 20 7946 0958")]
    [InlineData("(555) 123-4567")]
    [InlineData("+1-202-555-0143")]
    [InlineData("030 1234567")]
    [InlineData("0171 1234567")]
    [InlineData("555.123.4567")]
    [InlineData("1-800-555-0199")]
    public void Phone_formats_are_found_whole(string phone)
    {
        Assert.Equal([phone], Found(new PhoneNumberDetector(), $"Call {phone} today."));
    }

    [Theory]
    [InlineData("2024-03-15")]
    [InlineData("15/03/2024")]
    [InlineData("01.02.2024")]
    [InlineData("3.10.8")]
    [InlineData("$1,299.99")]
    [InlineData("Order #123456")]
    [InlineData("978-3-16-148410-0")]
    [InlineData("0306406152")]
    [InlineData("14:30:15")]
    [InlineData("2023 2024 2025")]
    public void Phone_lookalikes_are_not_phones(string text)
    {
        Assert.Empty(Found(new PhoneNumberDetector(), $"See {text} here."));
    }

    [Fact]
    public void Card_numbers_need_a_valid_luhn_digit_and_a_network_prefix()
    {
        var detector = new PaymentCardDetector();

        Assert.Equal(["4111 1111 1111 1111"], Found(detector, "Card 4111 1111 1111 1111 expires soon."));
        Assert.Empty(Found(detector, "Card 4111 1111 1111 1112 expires soon."));
        Assert.Empty(Found(detector, "Account 9111111111111111 is closed.")); // Luhn-valid, but no network starts with 9
    }

    [Fact]
    public void Iban_candidates_are_cut_to_the_country_length()
    {
        Assert.Equal(["DE89 3704 0044 0532 0130 00"], Found(new IbanDetector(), "Send it to DE89 3704 0044 0532 0130 00 TO ME please"));
        Assert.Empty(Found(new IbanDetector(), "Send it to DE88 3704 0044 0532 0130 00 please"));
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("256.1.1.1", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("2001:db8::8a2e:370:7334", true)]
    [InlineData("2001:0db8:85a3:0000:0000:8a2e:0370:7334", true)]
    [InlineData("::ffff:192.0.2.1", true)]
    [InlineData("10:30:15", false)]
    [InlineData("00:1A:2B:3C:4D:5E", false)]
    [InlineData("std::vector", false)]
    public void Ip_addresses_have_valid_octets_and_groups(string candidate, bool isAddress)
    {
        var found = Found(new IpAddressDetector(), $"host {candidate} here");

        if (isAddress)
            Assert.Equal([candidate], found);
        else
            Assert.Empty(found);
    }

    [Fact]
    public void High_entropy_detector_skips_identifiers_paths_and_hex()
    {
        var detector = new HighEntropySecretDetector(24, 3.5, 0.35, 0.6);

        Assert.Single(Found(detector, "token 8fK2xQ9mZ3vB7nL1pR5tW0yH4cJ6dG"));
        Assert.Empty(Found(detector, "class AbstractSingletonProxyFactoryBean2Impl"));
        Assert.Empty(Found(detector, "commit 3f2a9c1e8b7d6f5a4c3b2a1908f7e6d5c4b3a291"));
        Assert.Empty(Found(detector, "path usr/local/lib/python3/site-packages/Torch"));
    }

    [Fact]
    public void Shannon_entropy_and_class_changes_are_computed_by_the_definition()
    {
        Assert.Equal(0.0, ShannonEntropy.BitsPerCharacter("aaaa"));
        Assert.Equal(2.0, ShannonEntropy.BitsPerCharacter("abcd"), 12);
        Assert.Equal(1.5, ShannonEntropy.BitsPerCharacter("aabc"), 12); // −(½·log½ + 2·¼·log¼) = 0.5 + 1
        Assert.Equal(1.0, ShannonEntropy.ClassChangeRatio("aB1c"));
        Assert.Equal(0.0, ShannonEntropy.ClassChangeRatio("abc-def"));
    }
}
