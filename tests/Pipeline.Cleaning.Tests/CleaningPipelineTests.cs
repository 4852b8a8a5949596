using Pipeline.Cleaning.Pii;
using Pipeline.Cleaning.Quality;

namespace Pipeline.Cleaning.Tests;

public sealed class CleaningPipelineTests
{
    private static ConversationSample Chat(string id, string user, string assistant) =>
        new(id, [new ConversationTurn(ConversationRoles.User, user), new ConversationTurn(ConversationRoles.Assistant, assistant)]);

    [Fact]
    public void Filters_scrubs_and_removes_near_duplicates_in_input_order()
    {
        const string answer = "Open the settings page, choose the billing tab, and update the card on file there. " +
                              "The change applies to your next invoice and you will get a confirmation mail within a few minutes.";
        ConversationSample[] samples =
        [
            Chat("a", "How do I change my card? I am anna.k@example.com", answer),
            Chat("b", "How do I change my card? I am tom.b@example.org", answer),   // a duplicate of "a" once e-mails are scrubbed
            Chat("c", "Tell me a secret.", "I'm sorry, but I can't help with that."),
            Chat("d", "Where is my parcel?", "It left the warehouse yesterday and should arrive within two working days, tracking included."),
        ];

        var result = new CleaningPipeline().Clean(samples);

        Assert.Equal(["a", "d"], result.Kept.Select(s => s.Id));
        Assert.Equal("How do I change my card? I am <EMAIL>", result.Kept[0].Turns[0].Content);
        var counters = result.Report.ToCounters();
        Assert.Equal(4, counters["examples.in"]);
        Assert.Equal(2, counters["examples.kept"]);
        Assert.Equal(1, counters["drop.refusal_only"]);
        Assert.Equal(1, counters["drop.near_duplicate"]);
        Assert.Equal(2, counters["pii.email"]);
    }

    [Fact]
    public void Scrubbing_a_pair_is_consistent_across_prompt_chosen_and_rejected()
    {
        var sample = new ConversationSample("p", [new ConversationTurn(ConversationRoles.User, "Email anna@example.com about it.")],
            Chosen: "I wrote to anna@example.com.", Rejected: "I wrote to bob@example.com.");

        var (scrubbed, counts) = new CleaningPipeline().Scrub(sample);

        Assert.Equal("Email <EMAIL_1> about it.", scrubbed.Turns[0].Content);
        Assert.Equal("I wrote to <EMAIL_1>.", scrubbed.Chosen);
        Assert.Equal("I wrote to <EMAIL_2>.", scrubbed.Rejected);
        Assert.Equal(3, counts[PiiType.Email]);
    }
}
