using Pipeline.Quickstart.Labeling;

namespace Pipeline.Quickstart.Tests;

public sealed class ContactDetailsTests
{
    [Theory]
    [InlineData("Call me on 202-555-0143 please.", "202-555-0143")]
    [InlineData("Call me on (617) 555-0101.", "(617) 555-0101")]
    [InlineData("My number is +44 20 7946 0958.", "+44 20 7946 0958")]
    public void Finds_phone_numbers(string text, string phone) => Assert.Equal([phone], ContactDetails.PhoneNumbers(text));

    [Theory]
    [InlineData("Order AC-48213 arrived on Monday.")]
    [InlineData("I was charged $149.99 twice.")]
    [InlineData("It took 3 days and 2 hours.")]
    public void Order_numbers_prices_and_counts_are_not_phone_numbers(string text) => Assert.Empty(ContactDetails.PhoneNumbers(text));

    [Fact]
    public void Finds_emails() =>
        Assert.Equal(["anna.berg@example.com"], ContactDetails.Emails("Please reply to anna.berg@example.com."));

    [Theory]
    [InlineData("I will call you on 202-555-0143.")]
    [InlineData("I will call you on 2025550143.")]
    [InlineData("Your number (202) 555 0143 is noted.")]
    [InlineData("We call 555-0143 at noon.")]
    public void A_reply_repeats_a_phone_number_whatever_its_separators(string reply) =>
        Assert.Equal(["202-555-0143"], ContactDetails.RepeatedIn("Call me on 202-555-0143.", reply));

    [Fact]
    public void A_reply_repeats_an_email_in_any_case() =>
        Assert.Equal(["sam.hall@example.org"], ContactDetails.RepeatedIn("Write to sam.hall@example.org.", "I wrote to SAM.HALL@EXAMPLE.ORG today."));

    [Fact]
    public void Other_numbers_in_a_reply_are_not_repeats() =>
        Assert.Empty(ContactDetails.RepeatedIn("Call me on 202-555-0143 about order AC-48213.", "Order AC-48213 ships in 2 days; call 0800 123 456 7."));
}
