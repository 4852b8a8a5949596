using Pipeline.Quickstart.Scenarios;

namespace Pipeline.Quickstart.Tests;

public sealed class IntentClassifierTests
{
    [Theory]
    [InlineData("Where is my parcel? It is three days late.", SupportIntent.LateDelivery)]
    [InlineData("I want a refund for the toaster.", SupportIntent.RefundRequest)]
    [InlineData("I forgot my password.", SupportIntent.PasswordReset)]
    [InlineData("Why was I charged twice?", SupportIntent.BillingQuestion)]
    [InlineData("The lamp arrived broken.", SupportIntent.DamagedItem)]
    [InlineData("Please use my new address.", SupportIntent.ChangeAddress)]
    [InlineData("Cancel my subscription.", SupportIntent.CancelSubscription)]
    [InlineData("Should I see a doctor about this rash?", SupportIntent.HealthQuestion)]
    [InlineData("Can I take you to court?", SupportIntent.MoneyOrLegalQuestion)]
    [InlineData("Your driver was rude.", SupportIntent.Complaint)]
    [InlineData("Thank you so much!", SupportIntent.ThankYou)]
    [InlineData("Can I take you to court because my parcel is late?", SupportIntent.MoneyOrLegalQuestion)]
    public void Recognizes_hand_written_messages(string message, SupportIntent intent) => Assert.Equal(intent, IntentClassifier.Classify(message));

    [Fact]
    public void A_message_without_cues_has_no_intent() => Assert.Null(IntentClassifier.Classify("What a lovely day it is."));

    [Fact]
    public void A_signature_saying_thanks_is_not_a_thank_you() =>
        Assert.Equal(SupportIntent.PasswordReset, IntentClassifier.Classify("I forgot my password.\nThanks, Anna"));

    [Fact]
    public void Recognizes_every_generated_message() =>
        Assert.All(Generated.Messages, m => Assert.Equal(m.Intent, IntentClassifier.Classify(m.Text)));
}
