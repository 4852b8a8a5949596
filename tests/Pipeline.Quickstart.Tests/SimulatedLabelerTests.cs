using Pipeline.Quickstart.Labeling;

namespace Pipeline.Quickstart.Tests;

public sealed class SimulatedLabelerTests
{
    private const string Refund = "I would like a refund for order AC-12345, please.";
    private const string GoodReply = "Hi Anna, I have started a refund for order AC-12345.\n— Support Team";

    private static readonly SimulatedLabeler Labeler = SimulatedLabeler.Default;

    [Fact]
    public void A_reply_that_follows_every_rule_scores_one()
    {
        var verdict = Labeler.Score(Refund, GoodReply);
        Assert.Equal(1.0, verdict.Score);
        Assert.True(verdict.FollowsEveryRule);
        Assert.Equal(SupportIntent.RefundRequest, verdict.Intent);
        Assert.Equal(Enum.GetValues<HouseRule>(), verdict.Rules.Select(r => r.Rule));
    }

    [Fact]
    public void Each_broken_rule_costs_its_weight()
    {
        // No greeting (0.15) and a shouted word (0.05): 1 - 0.15 - 0.05 = 0.80.
        var verdict = Labeler.Score(Refund, "I have started a REFUND for order AC-12345.\n— Support Team");
        Assert.Equal(0.80, verdict.Score, 9);
        Assert.Equal([HouseRule.Greeting, HouseRule.NoShouting], verdict.FailedRules);
    }

    [Fact]
    public void An_empty_reply_earns_only_the_rules_that_silence_keeps()
    {
        // Routing 0.15 + contact details 0.10 + shouting 0.05 + polite 0.05.
        var verdict = Labeler.Score(Refund, "");
        Assert.Equal(0.35, verdict.Score, 9);
        Assert.Equal([HouseRule.Greeting, HouseRule.Brevity, HouseRule.AddressesIntent, HouseRule.SignOff], verdict.FailedRules);
    }

    [Fact]
    public void A_given_intent_overrides_the_classifier()
    {
        var verdict = Labeler.Score(Refund, GoodReply, SupportIntent.LateDelivery);
        Assert.Equal(SupportIntent.LateDelivery, verdict.Intent);
        Assert.Equal([HouseRule.AddressesIntent], verdict.FailedRules);
        Assert.Contains("'tracking'", verdict.Rules.Single(r => r.Rule == HouseRule.AddressesIntent).Detail);
    }

    [Fact]
    public void Failed_rules_say_what_is_wrong()
    {
        var verdict = Labeler.Score("Call me on 202-555-0143, my refund is missing.", "Hey, I will call you on 202-555-0143. Whatever.");
        string Detail(HouseRule rule) => verdict.Rules.Single(r => r.Rule == rule).Detail;
        Assert.Equal("does not start with 'Hi' or 'Hello'", Detail(HouseRule.Greeting));
        Assert.Equal("repeats the customer's 202-555-0143", Detail(HouseRule.NoRepeatedContactDetails));
        Assert.Equal("uses 'Whatever'", Detail(HouseRule.Polite));
    }

    [Fact]
    public void The_higher_score_is_preferred_in_either_order()
    {
        var flawed = "I have started a refund for order AC-12345.\n— Support Team";
        var first = Labeler.PreferIfBetter(Refund, flawed, GoodReply);
        var second = Labeler.PreferIfBetter(Refund, GoodReply, flawed);
        Assert.Equal(PreferredReply.B, first.Preferred);
        Assert.Equal(PreferredReply.A, second.Preferred);
        Assert.All([first, second], p => Assert.Equal(GoodReply, p.Chosen));
        Assert.All([first, second], p => Assert.Equal(PreferenceGround.HigherScore, p.Ground));
        Assert.Equal(0.85, first.RejectedVerdict.Score, 9);
    }

    [Fact]
    public void Equal_scores_prefer_the_shorter_reply()
    {
        var longer = "Hi Anna, I have started a refund for order AC-12345 today.\n— Support Team";
        var preference = Labeler.PreferIfBetter(Refund, longer, GoodReply);
        Assert.Equal(PreferenceGround.ShorterReply, preference.Ground);
        Assert.Equal(GoodReply, preference.Chosen);
    }

    [Fact]
    public void Equal_scores_and_lengths_fall_back_to_ordinal_order_whatever_the_argument_order()
    {
        var a = "Hi Anna, I have started a refund for order AC-12345.\n— Support Team";
        var b = "Hi Bert, I have started a refund for order AC-12345.\n— Support Team";
        var forward = Labeler.PreferIfBetter(Refund, a, b);
        var backward = Labeler.PreferIfBetter(Refund, b, a);
        Assert.Equal(PreferenceGround.OrdinalOrder, forward.Ground);
        Assert.Equal(a, forward.Chosen);
        Assert.Equal(a, backward.Chosen);
        Assert.Equal(b, backward.Rejected);
    }

    [Fact]
    public void Identical_replies_report_A()
    {
        var preference = Labeler.PreferIfBetter(Refund, GoodReply, GoodReply);
        Assert.Equal(PreferenceGround.IdenticalReplies, preference.Ground);
        Assert.Equal(PreferredReply.A, preference.Preferred);
    }

    [Fact]
    public void A_stricter_style_changes_the_verdict()
    {
        var strict = new SimulatedLabeler(HouseStyle.Default with { MaxWords = 8 });
        Assert.Equal(1.0, Labeler.Score(Refund, GoodReply).Score);
        Assert.Equal(0.9, strict.Score(Refund, GoodReply).Score, 9);
    }

    [Fact]
    public void An_empty_rude_list_flags_nothing()
    {
        var lenient = new SimulatedLabeler(HouseStyle.Default with { RudeWords = [] });
        Assert.True(lenient.Score(Refund, "Hi, stupid refund.").Passed(HouseRule.Polite));
    }
}
