using Pipeline.Quickstart.Labeling;

namespace Pipeline.Quickstart.Replies;

/// <summary>
/// Replies to generated messages: the reference reply that follows every rule of <see cref="HouseStyle.Default"/>
/// (the SFT target), and flawed variants of it that break chosen rules (the rejected side of preference pairs).
/// Everything is a pure function of the message, so the same message always gets the same replies.
/// </summary>
public static class HouseStyleReplies
{
    private static HouseStyle Style => HouseStyle.Default;

    /// <summary>Sentences that pad a reply past the word limit while breaking no other rule.</summary>
    private static readonly IReadOnlyList<string> Filler =
    [
        "We know how much every order means to you, and we always want each delivery to be perfect.",
        "Our team works every day of the week to make sure that parcels reach our customers quickly and safely.",
        "If there is anything else at all that we can do for you, please write to us again at any time.",
    ];

    private static readonly IReadOnlyList<string> RudeSentences =
    [
        "Honestly, this is a stupid question.",
        "Next time, please do not waste our time.",
        "Whatever, it is sorted now.",
        "Frankly, that was your fault.",
    ];

    /// <summary>
    /// The reference reply: "Hi Anna," (or "Hello,", "Hi there," without a name), the intent's answer with the
    /// message's order, product and city, and the sign-off on its own line. Never contains the message's
    /// phone number or e-mail.
    /// </summary>
    public static string Good(CustomerMessage message) => Draft(message).Render();

    /// <summary>The flaws that can be applied to a reply to this message (repeating contact details needs some).</summary>
    public static IReadOnlyList<ReplyFlaw> ApplicableFlaws(CustomerMessage message) =>
        ReplyFlaws.All.Where(f => f != ReplyFlaw.RepeatsContactDetails || message.HasContactDetails).ToList();

    /// <summary>The reference reply with the given flaws applied (each at most once, in a fixed order).</summary>
    public static string Flawed(CustomerMessage message, params IReadOnlyList<ReplyFlaw> flaws)
    {
        var applicable = ApplicableFlaws(message);
        foreach (var flaw in flaws)
            if (!applicable.Contains(flaw))
                throw new ArgumentException($"Flaw {flaw} cannot be applied to this message (it has no phone number or e-mail): \"{message.Text}\".", nameof(flaws));
        var draft = Draft(message);
        // The order matters: the body is chosen before it is shouted, and padding comes last so it counts every other part.
        if (flaws.Contains(ReplyFlaw.OffIntent)) ReplaceWithOtherIntent(draft, message);
        if (flaws.Contains(ReplyFlaw.WrongRouting)) RouteWrongly(draft, message);
        if (flaws.Contains(ReplyFlaw.RepeatsContactDetails)) draft.Tail.Add(ContactSentence(message));
        if (flaws.Contains(ReplyFlaw.Rude)) draft.Lead.Add(Pick(RudeSentences, message, "rude"));
        if (flaws.Contains(ReplyFlaw.Shouting)) draft.Body = ShoutFirstSentence(draft.Body);
        if (flaws.Contains(ReplyFlaw.MissingGreeting))
            draft.Greeting = Choose(message, "no-greeting", 2) == 0 ? null : $"Dear {message.CustomerName ?? "customer"},";
        if (flaws.Contains(ReplyFlaw.NoSignOff))
            draft.SignOff = Choose(message, "no-sign-off", 2) == 0 ? null : "Kind regards, Acme Parcel";
        if (flaws.Contains(ReplyFlaw.TooLong)) PadPastLimit(draft, message);
        return draft.Render();
    }

    private static ReplyDraft Draft(CustomerMessage message)
    {
        var greetingWord = Style.GreetingWords[Choose(message, "greeting", Style.GreetingWords.Count)];
        var greeting = message.CustomerName is { } name ? $"{greetingWord} {name},"
            : greetingWord == "Hi" ? "Hi there," : $"{greetingWord},";
        return new ReplyDraft
        {
            Greeting = greeting,
            Body = ReplyBodies.Render(message.Intent, Choose(message, "body", 2), message),
            SignOff = Style.SignOff,
        };
    }

    private static void ReplaceWithOtherIntent(ReplyDraft draft, CustomerMessage message)
    {
        var keywords = Style.IntentKeywords[message.Intent];
        // Another answered (not routed) intent whose answer does not happen to name this intent's keyword.
        var others = SupportIntents.All
            .Where(i => i != message.Intent && !i.IsRouted())
            .Select(i => ReplyBodies.Render(i, Choose(message, "body", 2), message))
            .Where(body => !keywords.Any(k => body.Contains(k, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        draft.Body = Pick(others, message, "off-intent");
    }

    private static void RouteWrongly(ReplyDraft draft, CustomerMessage message)
    {
        var (own, other) = message.Intent == SupportIntent.HealthQuestion
            ? (Style.HealthTeamPhrase, Style.BillingAndLegalTeamPhrase)
            : (Style.BillingAndLegalTeamPhrase, Style.HealthTeamPhrase);
        if (message.Intent.IsRouted() && draft.Body.Contains(own, StringComparison.Ordinal))
        {
            draft.Body = draft.Body.Replace(own, other, StringComparison.Ordinal);
            return;
        }
        var wrongTeam = message.Intent.IsRouted() ? other
            : Choose(message, "wrong-team", 2) == 0 ? Style.HealthTeamPhrase : Style.BillingAndLegalTeamPhrase;
        draft.Tail.Add($"I have also passed this to {wrongTeam}.");
    }

    private static string ContactSentence(CustomerMessage message) =>
        message.PhoneNumber is { } phone ? $"I will call you on {phone}."
        : $"I will write to {message.Email}.";

    private static string ShoutFirstSentence(string body)
    {
        var end = body.IndexOfAny(['.', '!', ':']);
        return end < 0 ? body.ToUpperInvariant() : body[..end].ToUpperInvariant() + body[end..];
    }

    private static void PadPastLimit(ReplyDraft draft, CustomerMessage message)
    {
        var start = Choose(message, "filler", Filler.Count);
        for (var i = 0; TextWords.Count(draft.Render()) <= Style.MaxWords; i++)
            draft.Tail.Add(Filler[(start + i) % Filler.Count]);
    }

    private static int Choose(CustomerMessage message, string purpose, int count) => StableHash.Choose(message.Text, purpose, count);

    private static string Pick(IReadOnlyList<string> options, CustomerMessage message, string purpose) =>
        options[Choose(message, purpose, options.Count)];
}
