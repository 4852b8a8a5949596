using Pipeline.Cleaning.ExampleFilters;
using Pipeline.Cleaning.Quality;
using Pipeline.Data;
using Pipeline.Data.Cards;

namespace Pipeline.Cleaning.Tests.ExampleFilters;

public sealed class ExampleFilterTests
{
    private static Example Chat(string id, string user, string assistant) => new()
    {
        Id = id,
        Messages = [new ChatMessage(ChatRoles.User, user), new ChatMessage(ChatRoles.Assistant, assistant)],
    };

    [Fact]
    public void Quality_filter_keeps_good_examples_and_reports_the_filter_reason()
    {
        var filter = new QualityExampleFilter();
        var good = Chat("1", "How do I reverse a list in Python?", "Use reversed(items) or items[::-1].");

        Assert.Same(good, filter.Apply(good).Kept);
        var dropped = filter.Apply(Chat("2", "Tell me a secret.", "I'm sorry, but I can't help with that."));
        Assert.False(dropped.IsKept);
        Assert.Equal(DropReasons.RefusalOnly, dropped.Reason);
    }

    [Fact]
    public void Pii_filter_scrubs_messages_and_pair_sides_consistently_and_counts()
    {
        var example = new Example
        {
            Id = "p",
            Messages = [new ChatMessage(ChatRoles.User, "Mail anna@example.com or call +1-202-555-0143.")],
            Chosen = "I mailed anna@example.com.",
            Rejected = "I called +1-202-555-0143.",
        };

        var verdict = new PiiExampleFilter().Apply(example);

        Assert.Equal("Mail <EMAIL> or call <PHONE>.", verdict.Kept!.Messages[0].Content);
        Assert.Equal("I mailed <EMAIL>.", verdict.Kept.Chosen);
        Assert.Equal("I called <PHONE>.", verdict.Kept.Rejected);
        Assert.Equal(2, verdict.Counters["pii.email"]);
        Assert.Equal(2, verdict.Counters["pii.phone"]);
    }

    [Fact]
    public void Near_duplicate_filter_drops_later_copies_survives_a_checkpoint_and_fills_the_card()
    {
        const string answer = "Open the settings page, choose the billing tab, and update the card on file for your next invoice.";
        var filter = new NearDuplicateExampleFilter();
        Assert.True(filter.Apply(Chat("a", "How do I change my card?", answer)).IsKept);
        var state = filter.SaveState();

        var resumed = new NearDuplicateExampleFilter();
        resumed.RestoreState(state);
        var verdict = resumed.Apply(Chat("b", "how do I change my CARD", answer + "!"));
        var card = new DataCard();
        resumed.Contribute(card);

        Assert.False(verdict.IsKept);
        Assert.Equal("near_duplicate", verdict.Reason);
        Assert.Contains("example a", verdict.Detail);
        Assert.Equal(1, card.Counters["near_duplicates.clusters"]);
        Assert.Equal(2, card.Counters["near_duplicates.largest_cluster"]);
        var section = Assert.Single(card.Sections);
        Assert.Equal(["2", "1"], section.Rows[0]);
    }
}
