using Pipeline.Quickstart.Labeling;

namespace Pipeline.Quickstart.Tests;

/// <summary>Each rule of the house style on hand-written replies, passing and failing.</summary>
public sealed class HouseRuleTests
{
    private const string Refund = "I would like a refund for order AC-12345. Call me on 202-555-0143 or write to anna.berg@example.com.";
    private const string Health = "The sun cream gave me a rash. Should I see a doctor?";
    private const string Legal = "Can I take you to court over order AC-12345?";

    private static bool Passes(HouseRule rule, string message, string reply) => SimulatedLabeler.Default.Score(message, reply).Passed(rule);

    [Theory]
    [InlineData("Hi Anna, I have started a refund.\n— Support Team")]
    [InlineData("Hello, I have started a refund.")]
    [InlineData("Hi there, done.")]
    [InlineData("Hello! Your refund is on its way.")]
    [InlineData("  Hi, leading spaces do not matter.")]
    public void Greeting_passes(string reply) => Assert.True(Passes(HouseRule.Greeting, Refund, reply));

    [Theory]
    [InlineData("Dear Anna, I have started a refund.")]
    [InlineData("Hey Anna, I have started a refund.")]
    [InlineData("hi anna, I have started a refund.")]
    [InlineData("Hiya, I have started a refund.")]
    [InlineData("I have started a refund. Hi!")]
    [InlineData("")]
    public void Greeting_fails(string reply) => Assert.False(Passes(HouseRule.Greeting, Refund, reply));

    [Theory]
    [InlineData(5, true)]
    [InlineData(40, true)]
    [InlineData(4, false)]
    [InlineData(41, false)]
    [InlineData(0, false)]
    public void Brevity_counts_words_from_5_to_40(int words, bool passes)
    {
        var reply = string.Join(" ", Enumerable.Repeat("refund", words));
        Assert.Equal(passes, Passes(HouseRule.Brevity, Refund, reply));
    }

    [Fact]
    public void Brevity_does_not_count_the_dash_of_the_sign_off_as_a_word()
    {
        var verdict = SimulatedLabeler.Default.Score(Refund, "Hi, your refund is on its way.\n— Support Team");
        Assert.Equal("9 words", verdict.Rules.Single(r => r.Rule == HouseRule.Brevity).Detail);
    }

    [Theory]
    [InlineData(Health, "Hi, I have passed this to our health team.", true)]
    [InlineData(Health, "Hi, I have passed this to Our Health Team.", true)]
    [InlineData(Health, "Hi, I have passed this to our billing and legal team.", false)]
    [InlineData(Health, "Hi, I have passed this to our health team and our billing and legal team.", false)]
    [InlineData(Health, "Hi, please see a doctor.", false)]
    [InlineData(Legal, "Hi, I have passed this to our billing and legal team.", true)]
    [InlineData(Legal, "Hi, I have passed this to our health team.", false)]
    [InlineData(Legal, "Hi, yes you can.", false)]
    [InlineData(Refund, "Hi, your refund is on its way.", true)]
    [InlineData(Refund, "Hi, I have passed this to our health team.", false)]
    [InlineData(Refund, "Hi, I have passed this to our billing and legal team.", false)]
    public void Routing_sends_health_and_money_questions_to_their_team_and_nothing_else(string message, string reply, bool passes) =>
        Assert.Equal(passes, Passes(HouseRule.Routing, message, reply));

    [Theory]
    [InlineData(Refund, "Hi, your refund is on its way.", true)]
    [InlineData(Refund, "Hi, your REFUND is on its way.", true)]
    [InlineData(Refund, "Hi, your money is on its way.", false)]
    [InlineData("My parcel is late, where is it?", "Hi, the tracking says tomorrow.", true)]
    [InlineData("My parcel is late, where is it?", "Hi, it comes tomorrow.", false)]
    [InlineData(Health, "Hi, I cannot give medical advice.", true)]
    [InlineData("Lovely weather today, is it not?", "Hi, it is.", true)]
    public void Addresses_intent_needs_the_intents_keyword(string message, string reply, bool passes) =>
        Assert.Equal(passes, Passes(HouseRule.AddressesIntent, message, reply));

    [Theory]
    [InlineData("Hi, your refund is on its way.", true)]
    [InlineData("Hi, I will call you on 202-555-0143.", false)]
    [InlineData("Hi, I will write to anna.berg@example.com.", false)]
    [InlineData("Hi, I will write to you at the address on your account.", true)]
    public void Contact_details_of_the_message_are_never_repeated(string reply, bool passes) =>
        Assert.Equal(passes, Passes(HouseRule.NoRepeatedContactDetails, Refund, reply));

    [Theory]
    [InlineData("Hi, done.\n— Support Team", true)]
    [InlineData("Hi, done. — Support Team\n", true)]
    [InlineData("Hi, done.\n- Support Team", false)]
    [InlineData("Hi, done.\n— Support Team. Bye!", false)]
    [InlineData("Hi, done.\nSupport Team", false)]
    [InlineData("Hi, done.", false)]
    public void Sign_off_ends_the_reply(string reply, bool passes) => Assert.Equal(passes, Passes(HouseRule.SignOff, Refund, reply));

    [Theory]
    [InlineData("Hi, I am OK with order AC-12345.", true)]
    [InlineData("Hi, the TV is on its way.", true)]
    [InlineData("Hi, this is URGENT.", false)]
    [InlineData("Hi, PLEASE wait.", false)]
    [InlineData("HELLO, done.", false)]
    public void Shouting_is_a_capitals_only_word_of_three_or_more_letters(string reply, bool passes) =>
        Assert.Equal(passes, Passes(HouseRule.NoShouting, Refund, reply));

    [Theory]
    [InlineData("Hi, that was a good question.", true)]
    [InlineData("Hi, there is no stupidity here.", true)]
    [InlineData("Hi, that was a stupid question.", false)]
    [InlineData("Hi, Whatever.", false)]
    [InlineData("Hi, please shut up.", false)]
    [InlineData("Hi, that is not my problem.", false)]
    public void Polite_means_no_word_of_the_rude_list(string reply, bool passes) => Assert.Equal(passes, Passes(HouseRule.Polite, Refund, reply));
}
