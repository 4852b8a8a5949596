using Pipeline.Quickstart.Replies;

namespace Pipeline.Quickstart.Corpus;

/// <summary>
/// Support replies in the many styles a real desk's archive holds (formal letters, chatty notes, curt one-liners,
/// long-winded answers, careless ones that repeat a phone number or give medical advice) and only sometimes in the
/// house style. The base model learns the language of the domain from them; what the house style wants is left
/// for supervised fine-tuning to teach.
/// </summary>
internal static class MixedStyleReplies
{
    /// <summary>Share of corpus replies written in the house style.</summary>
    public const double HouseStyleShare = 0.1;

    /// <summary>Share of the other replies that reuse the house answer's body rather than a generic one.</summary>
    public const double HouseBodyShare = 0.3;

    /// <summary>A plain answer per intent, in no particular style, and giving the advice the house style routes away.</summary>
    private static string GenericBody(SupportIntent intent) => intent switch
    {
        SupportIntent.LateDelivery => "Your parcel is on the way and should be with you soon.",
        SupportIntent.RefundRequest => "We will send your money back once we receive the item.",
        SupportIntent.PasswordReset => "You can choose a new password on the login page.",
        SupportIntent.BillingQuestion => "The charge on your card is for your last order.",
        SupportIntent.DamagedItem => "Please send us a photo of the damage and we will look into it.",
        SupportIntent.ChangeAddress => "We have changed where your order will be delivered.",
        SupportIntent.CancelSubscription => "Your plan will end at the end of this month.",
        SupportIntent.HealthQuestion => "Please stop using the product and see a doctor if it gets worse.",
        SupportIntent.MoneyOrLegalQuestion => "You may be able to claim it, but please check the rules yourself.",
        SupportIntent.Complaint => "We are sorry to hear that and will look into it.",
        SupportIntent.ThankYou => "Thank you for your kind message, it made our day.",
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "not a support intent"),
    };

    public static string Reply(CustomerMessage message, SeededRandom random)
    {
        if (random.Chance(HouseStyleShare))
            return HouseStyleReplies.Good(message);
        var body = random.Chance(HouseBodyShare)
            ? ReplyBodies.Render(message.Intent, random.Next(2), message)
            : GenericBody(message.Intent);
        var name = message.CustomerName;
        return random.Next(5) switch
        {
            0 => $"Dear {name ?? "customer"}, thank you for contacting Acme Parcel. {body} Please let us know if we can help with anything else. Kind regards, Customer Care",
            1 => $"Hey {name ?? "there"}! {body} Cheers, Acme",
            2 => body,
            3 => $"Hello {name ?? "there"}, thank you for your message, we read every one of them with care. {body} We hope this helps and wish you a very pleasant day. Best regards, the Acme Parcel team",
            _ => message.PhoneNumber is { } phone ? $"{body} We will call you on {phone} to check."
                : message.Email is { } email ? $"{body} We sent a copy to {email}."
                : $"Thanks for writing. {body}",
        };
    }
}
