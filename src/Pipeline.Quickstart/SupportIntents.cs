namespace Pipeline.Quickstart;

/// <summary>The snake_case names intents have in the data files ("late_delivery"), and back.</summary>
public static class SupportIntents
{
    public static IReadOnlyList<SupportIntent> All { get; } = Enum.GetValues<SupportIntent>();

    private static readonly Dictionary<SupportIntent, string> Names = new()
    {
        [SupportIntent.LateDelivery] = "late_delivery",
        [SupportIntent.RefundRequest] = "refund_request",
        [SupportIntent.PasswordReset] = "password_reset",
        [SupportIntent.BillingQuestion] = "billing_question",
        [SupportIntent.DamagedItem] = "damaged_item",
        [SupportIntent.ChangeAddress] = "change_address",
        [SupportIntent.CancelSubscription] = "cancel_subscription",
        [SupportIntent.HealthQuestion] = "health_question",
        [SupportIntent.MoneyOrLegalQuestion] = "money_or_legal_question",
        [SupportIntent.Complaint] = "complaint",
        [SupportIntent.ThankYou] = "thank_you",
    };

    public static string ToName(this SupportIntent intent) =>
        Names.TryGetValue(intent, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(intent), intent, "not a support intent");

    /// <summary>Parses a name written by <see cref="ToName"/>; the error lists the allowed names.</summary>
    public static SupportIntent Parse(string name)
    {
        foreach (var (intent, known) in Names)
            if (known == name)
                return intent;
        throw new FormatException($"'{name}' is not a support intent; expected one of: {string.Join(", ", Names.Values)}.");
    }

    /// <summary>The intents the house style sends to a specialist team instead of answering.</summary>
    public static bool IsRouted(this SupportIntent intent) =>
        intent is SupportIntent.HealthQuestion or SupportIntent.MoneyOrLegalQuestion;
}
