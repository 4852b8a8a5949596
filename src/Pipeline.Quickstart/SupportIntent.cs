namespace Pipeline.Quickstart;

/// <summary>What a customer message is about. Health and money/legal questions are the two the house style routes to a team.</summary>
public enum SupportIntent
{
    LateDelivery,
    RefundRequest,
    PasswordReset,
    BillingQuestion,
    DamagedItem,
    ChangeAddress,
    CancelSubscription,
    HealthQuestion,
    MoneyOrLegalQuestion,
    Complaint,
    ThankYou,
}
