namespace Pipeline.Quickstart.Labeling;

/// <summary>
/// The house style of Acme Parcel's support desk, as data: what <see cref="SimulatedLabeler"/> checks and how
/// much each rule weighs. A reply that follows every rule scores 1; each broken rule costs its weight.
/// The weights favour the rules a reply must actively satisfy (greeting, intent, routing, sign-off) over the
/// rules an empty reply satisfies by saying nothing, so silence scores only 0.35.
/// </summary>
public sealed record HouseStyle
{
    public static HouseStyle Default { get; } = new();

    /// <summary>The words a reply may start with. Default "Hi", "Hello": the house greets every customer.</summary>
    public IReadOnlyList<string> GreetingWords { get; init; } = ["Hi", "Hello"];

    /// <summary>Fewest words of an answer. Default 5: a greeting and a sign-off alone do not answer.</summary>
    public int MinWords { get; init; } = 5;

    /// <summary>Most words of an answer, greeting and sign-off included. Default 40: replies are read on a phone.</summary>
    public int MaxWords { get; init; } = 40;

    /// <summary>The phrase that routes a health question. Default "our health team": support staff give no medical advice.</summary>
    public string HealthTeamPhrase { get; init; } = "our health team";

    /// <summary>The phrase that routes a money or legal question. Default "our billing and legal team": support staff give no financial or legal advice.</summary>
    public string BillingAndLegalTeamPhrase { get; init; } = "our billing and legal team";

    /// <summary>The last line of every reply. Default "— Support Team" (an em dash, U+2014).</summary>
    public string SignOff { get; init; } = "— Support Team";

    /// <summary>Fewest letters for a capitals-only word to count as shouting. Default 3, so "I" and "OK" pass.</summary>
    public int ShoutingMinLetters { get; init; } = 3;

    /// <summary>Words and phrases a reply never uses, matched case-insensitively as whole words.</summary>
    public IReadOnlyList<string> RudeWords { get; init; } =
    [
        "stupid", "idiot", "idiotic", "dumb", "shut up", "nonsense", "ridiculous", "pathetic", "useless",
        "whatever", "your fault", "deal with it", "not my problem", "waste our time", "annoying", "clueless",
    ];

    /// <summary>Weight of each rule in the score; they sum to 1.</summary>
    public IReadOnlyDictionary<HouseRule, double> Weights { get; init; } = new Dictionary<HouseRule, double>
    {
        [HouseRule.Greeting] = 0.15,
        [HouseRule.Brevity] = 0.10,
        [HouseRule.Routing] = 0.15,
        [HouseRule.AddressesIntent] = 0.25,
        [HouseRule.NoRepeatedContactDetails] = 0.10,
        [HouseRule.SignOff] = 0.15,
        [HouseRule.NoShouting] = 0.05,
        [HouseRule.Polite] = 0.05,
    };

    /// <summary>
    /// The words that show a reply deals with the intent; any one of them (case-insensitive) is enough.
    /// The routed intents are addressed by declining to advise; where they go is the routing rule's business.
    /// </summary>
    public IReadOnlyDictionary<SupportIntent, IReadOnlyList<string>> IntentKeywords { get; init; } =
        new Dictionary<SupportIntent, IReadOnlyList<string>>
        {
            [SupportIntent.LateDelivery] = ["tracking"],
            [SupportIntent.RefundRequest] = ["refund"],
            [SupportIntent.PasswordReset] = ["reset link"],
            [SupportIntent.BillingQuestion] = ["invoice"],
            [SupportIntent.DamagedItem] = ["replacement"],
            [SupportIntent.ChangeAddress] = ["address"],
            [SupportIntent.CancelSubscription] = ["cancelled", "canceled"],
            [SupportIntent.HealthQuestion] = ["medical advice"],
            [SupportIntent.MoneyOrLegalQuestion] = ["legal advice"],
            [SupportIntent.Complaint] = ["feedback"],
            [SupportIntent.ThankYou] = ["welcome"],
        };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public HouseStyle Validate()
    {
        if (GreetingWords is null || GreetingWords.Count == 0 || GreetingWords.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"{nameof(HouseStyle)}.{nameof(GreetingWords)} must list at least one non-empty word.");
        if (MinWords < 0 || MaxWords < MinWords)
            throw new ArgumentException($"{nameof(HouseStyle)}.{nameof(MinWords)} ({MinWords}) and {nameof(MaxWords)} ({MaxWords}) must satisfy 0 <= MinWords <= MaxWords.");
        foreach (var (name, value) in new[] { (nameof(HealthTeamPhrase), HealthTeamPhrase), (nameof(BillingAndLegalTeamPhrase), BillingAndLegalTeamPhrase), (nameof(SignOff), SignOff) })
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"{nameof(HouseStyle)}.{name} must not be empty.");
        if (RudeWords is null || RudeWords.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException($"{nameof(HouseStyle)}.{nameof(RudeWords)} must be a list (possibly empty) of non-empty words.");
        if (ShoutingMinLetters < 2)
            throw new ArgumentException($"{nameof(HouseStyle)}.{nameof(ShoutingMinLetters)} is {ShoutingMinLetters}; use 2 or more (a lone 'I' is not shouting).");
        if (Weights is null || IntentKeywords is null)
            throw new ArgumentException($"{nameof(HouseStyle)}.{(Weights is null ? nameof(Weights) : nameof(IntentKeywords))} must not be null.");
        foreach (var rule in Enum.GetValues<HouseRule>())
            if (!Weights.TryGetValue(rule, out var weight) || !(weight >= 0))
                throw new ArgumentException($"{nameof(HouseStyle)}.{nameof(Weights)} needs a non-negative weight for {rule}.");
        var sum = Weights.Values.Sum();
        if (Math.Abs(sum - 1) > 1e-9)
            throw new ArgumentException($"{nameof(HouseStyle)}.{nameof(Weights)} sum to {sum}; they must sum to 1 so scores lie in [0, 1].");
        foreach (var intent in SupportIntents.All)
            if (!IntentKeywords.TryGetValue(intent, out var keywords) || keywords.Count == 0)
                throw new ArgumentException($"{nameof(HouseStyle)}.{nameof(IntentKeywords)} has no keyword for {intent.ToName()}.");
        return this;
    }
}
