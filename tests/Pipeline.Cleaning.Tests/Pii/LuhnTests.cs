using Pipeline.Cleaning.Pii;

namespace Pipeline.Cleaning.Tests.Pii;

public sealed class LuhnTests
{
    [Theory]
    [InlineData("4111111111111111", true)]       // Visa test number
    [InlineData("4111 1111 1111 1111", true)]
    [InlineData("5500-0000-0000-0004", true)]    // Mastercard test number
    [InlineData("378282246310005", true)]        // Amex test number
    [InlineData("79927398713", true)]            // the textbook example
    [InlineData("79927398710", false)]
    [InlineData("4111111111111112", false)]
    [InlineData("4111x11111111111", false)]
    [InlineData("0", false)]
    public void Validates_the_check_digit(string number, bool valid)
    {
        Assert.Equal(valid, Luhn.IsValid(number));
    }

    [Theory]
    [InlineData("7992739871", 3)] // by hand: doubled from the right 1→2, 8→16→7, 3→6, 2→4, 9→18→9 plus 7+9+7+9+7 … sum 67 → 3
    [InlineData("411111111111111", 1)]
    [InlineData("37828224631000", 5)]
    public void Computes_the_check_digit(string payload, int expected)
    {
        Assert.Equal(expected, Luhn.CheckDigit(payload));
    }
}
