using Pipeline.Cleaning.Pii;

namespace Pipeline.Cleaning.Tests.Pii;

public sealed class IbanChecksumTests
{
    // Published example IBANs (ECBS / national banking associations).
    [Theory]
    [InlineData("DE89370400440532013000")]
    [InlineData("GB82WEST12345698765432")]
    [InlineData("FR1420041010050500013M02606")]
    [InlineData("NL91ABNA0417164300")]
    [InlineData("BE68539007547034")]
    [InlineData("CH9300762011623852957")]
    [InlineData("NO9386011117947")]
    [InlineData("AT611904300234573201")]
    public void Published_examples_are_valid(string iban)
    {
        Assert.True(IbanChecksum.IsValid(iban));
    }

    [Theory]
    [InlineData("DE88370400440532013000", "wrong check digits")]
    [InlineData("DE89370400440532013001", "one digit changed")]
    [InlineData("DE8937040044053201300", "too short for DE")]
    [InlineData("ZZ89370400440532013000", "unknown country")]
    [InlineData("GB82west12345698765432", "lower case")]
    public void Corrupted_ibans_are_invalid(string iban, string why)
    {
        Assert.False(IbanChecksum.IsValid(iban), why);
    }

    [Theory]
    [InlineData("DE", "370400440532013000", "89")]
    [InlineData("GB", "WEST12345698765432", "82")]
    [InlineData("NL", "ABNA0417164300", "91")]
    public void Computes_check_digits_by_mod_97(string country, string bban, string expected)
    {
        Assert.Equal(expected, IbanChecksum.ComputeCheckDigits(country, bban));
    }
}
