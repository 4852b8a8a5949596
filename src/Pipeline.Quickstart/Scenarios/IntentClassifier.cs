using System.Text.RegularExpressions;

namespace Pipeline.Quickstart.Scenarios;

/// <summary>
/// Recognizes the intent of a customer message from cue words, so the labeler can judge a reply when it is
/// given only the message text (a PPO prompt, a hand-typed message). The cues cover every generated wording;
/// they are checked in a fixed order because a message can carry several (a court case about a late parcel is
/// a legal question first). Returns null when no cue matches.
/// </summary>
public static partial class IntentClassifier
{
    private static readonly (SupportIntent Intent, Regex Cue)[] Cues =
    [
        (SupportIntent.HealthQuestion, HealthCue()),
        (SupportIntent.MoneyOrLegalQuestion, MoneyOrLegalCue()),
        (SupportIntent.CancelSubscription, CancelCue()),
        (SupportIntent.PasswordReset, PasswordCue()),
        (SupportIntent.RefundRequest, RefundCue()),
        (SupportIntent.DamagedItem, DamagedCue()),
        (SupportIntent.ChangeAddress, AddressCue()),
        (SupportIntent.BillingQuestion, BillingCue()),
        (SupportIntent.Complaint, ComplaintCue()),
        (SupportIntent.LateDelivery, LateCue()),
        (SupportIntent.ThankYou, ThanksCue()),
    ];

    public static SupportIntent? Classify(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (intent, cue) in Cues)
            if (cue.IsMatch(message))
                return intent;
        return null;
    }

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    [GeneratedRegex(@"\b(doctor|rash|pregnant|headache|asthma|dizzy|allergic|health|medicine)\b", Options)]
    private static partial Regex HealthCue();

    [GeneratedRegex(@"\b(court|tax|legal|legally|lawyer|loan|interest|compensation|contract)\b", Options)]
    private static partial Regex MoneyOrLegalCue();

    [GeneratedRegex(@"\b(cancel|subscription|membership)\b", Options)]
    private static partial Regex CancelCue();

    [GeneratedRegex(@"\b(password|log in|login|sign in|locked out)\b", Options)]
    private static partial Regex PasswordCue();

    [GeneratedRegex(@"\brefund", Options)]
    private static partial Regex RefundCue();

    [GeneratedRegex(@"\b(broken|damaged|crack|cracked|scratched|smashed|bent)\b", Options)]
    private static partial Regex DamagedCue();

    [GeneratedRegex(@"\b(address|moved to)\b", Options)]
    private static partial Regex AddressCue();

    [GeneratedRegex(@"\b(charged|charge|invoice|statement|bill)\b", Options)]
    private static partial Regex BillingCue();

    [GeneratedRegex(@"\b(rude|terrible|unhappy|not good enough|disappointed|ignored)\b", Options)]
    private static partial Regex ComplaintCue();

    [GeneratedRegex(@"\b(late|not arrived|not here|where is my parcel|waiting|delivered|nothing came)\b", Options)]
    private static partial Regex LateCue();

    [GeneratedRegex(@"\b(thank you|thanks a lot|grateful|great service)\b", Options)]
    private static partial Regex ThanksCue();
}
