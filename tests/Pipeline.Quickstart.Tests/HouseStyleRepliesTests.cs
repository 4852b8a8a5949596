using Pipeline.Quickstart.Labeling;
using Pipeline.Quickstart.Replies;

namespace Pipeline.Quickstart.Tests;

public sealed class HouseStyleRepliesTests
{
    private static readonly SimulatedLabeler Labeler = SimulatedLabeler.Default;

    [Fact]
    public void Good_replies_follow_every_rule_for_every_generated_message() =>
        Assert.All(Generated.Messages, m =>
        {
            var verdict = Labeler.Score(m, HouseStyleReplies.Good(m));
            Assert.True(verdict.Score == 1.0, $"{verdict} for \"{m.Text}\"");
        });

    [Fact]
    public void Good_replies_follow_every_rule_when_the_labeler_must_recognize_the_intent_itself() =>
        Assert.All(Generated.Messages, m => Assert.Equal(1.0, Labeler.Score(m.Text, HouseStyleReplies.Good(m)).Score));

    [Fact]
    public void Good_replies_never_contain_the_customers_phone_number_or_email() =>
        Assert.All(Generated.WithContactDetails, m =>
        {
            var reply = HouseStyleReplies.Good(m);
            if (m.PhoneNumber is { } phone) Assert.DoesNotContain(phone, reply);
            if (m.Email is { } email) Assert.DoesNotContain(email, reply, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(ContactDetails.PhoneNumbers(reply));
            Assert.Empty(ContactDetails.Emails(reply));
        });

    [Fact]
    public void A_good_reply_greets_by_name_uses_the_order_and_signs_off()
    {
        var message = new CustomerMessage
        {
            Intent = SupportIntent.RefundRequest,
            Text = "Please refund order AC-12345.\nThanks, Anna",
            CustomerName = "Anna",
            OrderNumber = "AC-12345",
        };
        var reply = HouseStyleReplies.Good(message);
        Assert.Matches(@"^(Hi|Hello) Anna, ", reply);
        Assert.Contains("refund for order AC-12345", reply);
        Assert.EndsWith("\n— Support Team", reply);
    }

    [Fact]
    public void Each_flaw_breaks_exactly_its_rule()
    {
        var pairs = 0;
        foreach (var message in Generated.Messages)
        {
            foreach (var flaw in HouseStyleReplies.ApplicableFlaws(message))
            {
                var verdict = Labeler.Score(message, HouseStyleReplies.Flawed(message, flaw));
                // An answer to another question drops the routing a health or money question needs.
                HouseRule[] expected = flaw == ReplyFlaw.OffIntent && message.Intent.IsRouted()
                    ? [HouseRule.Routing, HouseRule.AddressesIntent]
                    : [flaw.BrokenRule()];
                Assert.True(expected.SequenceEqual(verdict.FailedRules), $"{flaw}: {verdict} for \"{message.Text}\"");
                pairs++;
            }
        }
        Assert.True(pairs > 7 * Generated.Messages.Count, $"only {pairs} flawed replies");
    }

    [Fact]
    public void The_labeler_prefers_the_good_reply_over_every_flawed_one()
    {
        foreach (var message in Generated.Messages)
        {
            var good = HouseStyleReplies.Good(message);
            foreach (var flaw in HouseStyleReplies.ApplicableFlaws(message))
            {
                var flawed = HouseStyleReplies.Flawed(message, flaw);
                var preference = Labeler.PreferIfBetter(message, flawed, good);
                Assert.Equal(good, preference.Chosen);
                Assert.Equal(PreferenceGround.HigherScore, preference.Ground);
            }
        }
    }

    [Fact]
    public void Two_flaws_break_both_rules()
    {
        var message = Generated.Messages.First(m => m.Intent == SupportIntent.LateDelivery);
        var verdict = Labeler.Score(message, HouseStyleReplies.Flawed(message, ReplyFlaw.Rude, ReplyFlaw.NoSignOff));
        Assert.Equal([HouseRule.SignOff, HouseRule.Polite], verdict.FailedRules);
        Assert.Equal(0.80, verdict.Score, 9);
    }

    [Fact]
    public void Repeating_contact_details_needs_a_message_that_has_some()
    {
        var message = Generated.Messages.First(m => !m.HasContactDetails);
        Assert.DoesNotContain(ReplyFlaw.RepeatsContactDetails, HouseStyleReplies.ApplicableFlaws(message));
        var error = Assert.Throws<ArgumentException>(() => HouseStyleReplies.Flawed(message, ReplyFlaw.RepeatsContactDetails));
        Assert.Contains("no phone number or e-mail", error.Message);
    }

    [Fact]
    public void Replies_are_a_function_of_the_message() =>
        Assert.All(Generated.Messages.Take(50), m =>
        {
            Assert.Equal(HouseStyleReplies.Good(m), HouseStyleReplies.Good(m with { }));
            Assert.Equal(HouseStyleReplies.Flawed(m, ReplyFlaw.TooLong), HouseStyleReplies.Flawed(m with { }, ReplyFlaw.TooLong));
        });
}
