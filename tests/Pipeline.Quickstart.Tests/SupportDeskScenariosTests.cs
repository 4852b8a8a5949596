using Pipeline.Quickstart.Labeling;
using Pipeline.Quickstart.Scenarios;

namespace Pipeline.Quickstart.Tests;

public sealed class SupportDeskScenariosTests
{
    [Fact]
    public void The_same_seed_gives_the_same_messages_and_another_seed_others()
    {
        var first = new SupportDeskScenarios(11).Generate(200);
        var again = new SupportDeskScenarios(11).Generate(200);
        var other = new SupportDeskScenarios(12).Generate(200);
        Assert.Equal(first, again);
        Assert.NotEqual(first.Select(m => m.Text), other.Select(m => m.Text));
    }

    [Fact]
    public void Messages_are_distinct_and_10_to_40_words()
    {
        Assert.Equal(Generated.Messages.Count, Generated.Messages.Select(m => m.Text).Distinct().Count());
        Assert.All(Generated.Messages, m => Assert.InRange(TextWords.Count(m.Text), SupportDeskScenarios.MinWords, SupportDeskScenarios.MaxWords));
    }

    [Fact]
    public void Every_intent_gets_an_equal_share_give_or_take_one()
    {
        var counts = Generated.Messages.CountBy(m => m.Intent).ToDictionary();
        Assert.Equal(SupportIntents.All.Count, counts.Count);
        Assert.InRange(counts.Values.Max() - counts.Values.Min(), 0, 1);
    }

    [Fact]
    public void About_a_third_carry_contact_details_that_appear_in_the_text()
    {
        var share = Generated.WithContactDetails.Count() / (double)Generated.Messages.Count;
        Assert.InRange(share, 0.25, 0.35);
        Assert.All(Generated.WithContactDetails, m =>
        {
            if (m.PhoneNumber is { } phone) Assert.Equal([phone], ContactDetails.PhoneNumbers(m.Text));
            if (m.Email is { } email) Assert.Equal([email], ContactDetails.Emails(m.Text));
        });
        Assert.All(Generated.Messages.Where(m => !m.HasContactDetails), m =>
        {
            Assert.Empty(ContactDetails.PhoneNumbers(m.Text));
            Assert.Empty(ContactDetails.Emails(m.Text));
        });
    }

    [Fact]
    public void Phone_numbers_are_from_ranges_reserved_for_fiction_and_emails_from_example_domains() =>
        Assert.All(Generated.WithContactDetails, m =>
        {
            if (m.PhoneNumber is { } phone) Assert.Matches(@"^(\d{3}-555-01\d\d|\(\d{3}\) 555-01\d\d|\+44 20 7946 0\d{3})$", phone);
            if (m.Email is { } email) Assert.Matches(@"^[a-z]+\.[a-z]+@example\.(com|org|net)$", email);
        });

    [Fact]
    public void Slot_values_recorded_on_a_message_appear_in_its_text() =>
        Assert.All(Generated.Messages, m =>
        {
            foreach (var value in new[] { m.OrderNumber, m.Product, m.City, m.CustomerName })
                if (value is not null) Assert.Contains(value, m.Text);
        });
}
