namespace Pipeline.Quickstart.Replies;

/// <summary>
/// What the support desk says for each intent: two phrasings each, both naming the intent's keyword and, for the
/// routed intents, the team. Slots: {order} ("order AC-48213" or "your order"), {item} ("the desk lamp" or
/// "your order"), {in_city} (" in Leeds" or nothing).
/// </summary>
internal static class ReplyBodies
{
    public static IReadOnlyList<string> For(SupportIntent intent) => intent switch
    {
        SupportIntent.LateDelivery =>
        [
            "I am sorry {order} is late. The tracking shows it will arrive within two days.",
            "Sorry for the wait. I checked the tracking for {order}, and it is on its way to you now.",
        ],
        SupportIntent.RefundRequest =>
        [
            "I have started a refund for {order}. The money will be back on your card within five days.",
            "Your refund for {order} is approved. You will see it on your card within five days.",
        ],
        SupportIntent.PasswordReset =>
        [
            "I have sent a reset link to the e-mail on your account. The link works for one hour.",
            "Please use the reset link I just sent to the e-mail on your account to choose a new password.",
        ],
        SupportIntent.BillingQuestion =>
        [
            "I checked your account and sent you an invoice that explains every charge for {order}.",
            "I have sent you the invoice for {order}, so you can see what each charge is for.",
        ],
        SupportIntent.DamagedItem =>
        [
            "I am sorry {item} arrived damaged. A free replacement is on its way, and you can keep the old one.",
            "Sorry about the damage. I have sent a free replacement for {item}, with no need to send anything back.",
        ],
        SupportIntent.ChangeAddress =>
        [
            "I have updated the delivery address for {order}. It will now go to your new address{in_city}.",
            "Done: {order} will now be sent to your new address{in_city}.",
        ],
        SupportIntent.CancelSubscription =>
        [
            "I have cancelled your subscription. You will not be charged again.",
            "Your subscription is cancelled from today, and no further payments will be taken.",
        ],
        SupportIntent.HealthQuestion =>
        [
            "I cannot give medical advice, so I have passed your question to our health team. They will contact you today.",
            "I am not able to give medical advice, so I sent your question to our health team, who will reply soon.",
        ],
        SupportIntent.MoneyOrLegalQuestion =>
        [
            "I cannot give financial or legal advice, so I passed your question to our billing and legal team. They will reply soon.",
            "I am not able to give legal advice, so I sent your question to our billing and legal team, who will reply soon.",
        ],
        SupportIntent.Complaint =>
        [
            "I am sorry about your experience. I have shared your feedback with our team lead so it does not happen again.",
            "Thank you for telling us, and I am sorry. Your feedback has gone to our team lead, who will follow up.",
        ],
        SupportIntent.ThankYou =>
        [
            "You are welcome! We are glad we could help, and we hope you enjoy {item}.",
            "You are very welcome, and thank you for your kind words. Have a lovely day!",
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "not a support intent"),
    };

    /// <summary>The body of <paramref name="intent"/> in the given phrasing, its slots filled from the message.</summary>
    public static string Render(SupportIntent intent, int variant, CustomerMessage message)
    {
        var phrasings = For(intent);
        return phrasings[variant % phrasings.Count]
            .Replace("{order}", message.OrderNumber is { } order ? "order " + order : "your order")
            .Replace("{item}", message.Product is { } product ? "the " + product : "your order")
            .Replace("{in_city}", message.City is { } city ? " in " + city : "");
    }
}
