using System.Text.RegularExpressions;
using Pipeline.Quickstart.Scenarios;

namespace Pipeline.Quickstart.Labeling;

/// <summary>
/// Stands in for the human raters of RLHF (and the AI judge of RLAIF): scores a reply to a customer message by
/// the rules of <see cref="HouseStyle"/> and prefers the better of two replies. Deterministic and documented, so
/// every gain of the pipeline can be measured against it, and so evaluation can report it apart from the learned
/// reward model: a policy that games the reward model without following the rules shows up here.
/// <list type="number">
/// <item>Greeting — the reply starts with "Hi" or "Hello".</item>
/// <item>Brevity — 5 to 40 words, greeting and sign-off included (a word holds a letter or digit).</item>
/// <item>Routing — a health question is sent to "our health team", a money or legal question to "our billing and
/// legal team"; every other message is sent to neither.</item>
/// <item>Addresses the intent — the reply names the action of the intent (e.g. "refund", "tracking", "reset link").</item>
/// <item>No repeated contact details — no phone number or e-mail from the message appears in the reply.</item>
/// <item>Sign-off — the reply ends with "— Support Team".</item>
/// <item>No shouting — no capitals-only word of 3 or more letters.</item>
/// <item>Polite — no word or phrase of the rude list.</item>
/// </list>
/// The score is the sum of the weights of the passed rules (<see cref="HouseStyle.Weights"/>), in [0, 1].
/// </summary>
public sealed partial class SimulatedLabeler
{
    public static SimulatedLabeler Default { get; } = new(HouseStyle.Default);

    private readonly Regex rudeWords;
    private readonly Regex greeting;

    public SimulatedLabeler(HouseStyle style)
    {
        Style = style.Validate();
        // An empty rude list matches nothing ("(?!)"), rather than the empty word between every two letters.
        rudeWords = new Regex(style.RudeWords.Count == 0 ? "(?!)" : @"\b(" + string.Join("|", style.RudeWords.Select(Regex.Escape)) + @")\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        this.greeting = new Regex(@"^(" + string.Join("|", style.GreetingWords.Select(Regex.Escape)) + @")(?=[\s,!.]|$)",
            RegexOptions.CultureInvariant);
    }

    public HouseStyle Style { get; }

    public LabelerVerdict Score(CustomerMessage message, string reply) => Score(message.Text, reply, message.Intent);

    /// <summary>
    /// Judges <paramref name="reply"/> to the customer's <paramref name="message"/>. Without <paramref name="intent"/>
    /// the intent is recognized by <see cref="IntentClassifier"/>; when it cannot be, the intent rule passes
    /// (nothing to judge by) and routing requires that the reply routes to no team.
    /// </summary>
    public LabelerVerdict Score(string message, string reply, SupportIntent? intent = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reply);
        intent ??= IntentClassifier.Classify(message);
        var text = reply.Trim();
        RuleResult[] rules =
        [
            CheckGreeting(text),
            CheckBrevity(text),
            CheckRouting(text, intent),
            CheckIntent(text, intent),
            CheckContactDetails(message, text),
            CheckSignOff(text),
            CheckShouting(text),
            CheckPoliteness(text),
        ];
        // Rounded so that a perfect reply scores exactly 1 despite floating-point sums of the weights.
        var score = Math.Round(rules.Where(r => r.Passed).Sum(r => r.Weight), 9);
        return new LabelerVerdict { Score = score, Rules = rules, Intent = intent };
    }

    public LabelerPreference PreferIfBetter(CustomerMessage message, string a, string b) => PreferIfBetter(message.Text, a, b, message.Intent);

    /// <summary>
    /// The reply a rater following the house style picks: the higher score; on a tie the shorter reply; on equal
    /// length the ordinally smaller text, so swapping <paramref name="a"/> and <paramref name="b"/> never changes the chosen text.
    /// </summary>
    public LabelerPreference PreferIfBetter(string message, string a, string b, SupportIntent? intent = null)
    {
        intent ??= IntentClassifier.Classify(message);
        var verdictA = Score(message, a, intent);
        var verdictB = Score(message, b, intent);
        var (preferred, ground) =
            verdictA.Score != verdictB.Score ? (verdictA.Score > verdictB.Score ? PreferredReply.A : PreferredReply.B, PreferenceGround.HigherScore)
            : a.Length != b.Length ? (a.Length < b.Length ? PreferredReply.A : PreferredReply.B, PreferenceGround.ShorterReply)
            : string.CompareOrdinal(a, b) is var order && order != 0 ? (order < 0 ? PreferredReply.A : PreferredReply.B, PreferenceGround.OrdinalOrder)
            : (PreferredReply.A, PreferenceGround.IdenticalReplies);
        return new LabelerPreference { Preferred = preferred, Ground = ground, ReplyA = a, ReplyB = b, VerdictA = verdictA, VerdictB = verdictB };
    }

    private RuleResult Result(HouseRule rule, bool passed, string detail) => new(rule, passed, Style.Weights[rule], detail);

    private RuleResult CheckGreeting(string reply) =>
        this.greeting.IsMatch(reply)
            ? Result(HouseRule.Greeting, true, "starts with a greeting")
            : Result(HouseRule.Greeting, false, $"does not start with {string.Join(" or ", Style.GreetingWords.Select(w => $"'{w}'"))}");

    private RuleResult CheckBrevity(string reply)
    {
        var words = TextWords.Count(reply);
        return words < Style.MinWords ? Result(HouseRule.Brevity, false, $"{words} words, fewer than {Style.MinWords}")
            : words > Style.MaxWords ? Result(HouseRule.Brevity, false, $"{words} words, more than {Style.MaxWords}")
            : Result(HouseRule.Brevity, true, $"{words} words");
    }

    private RuleResult CheckRouting(string reply, SupportIntent? intent)
    {
        var toHealth = reply.Contains(Style.HealthTeamPhrase, StringComparison.OrdinalIgnoreCase);
        var toBillingAndLegal = reply.Contains(Style.BillingAndLegalTeamPhrase, StringComparison.OrdinalIgnoreCase);
        var (wantHealth, wantBillingAndLegal) = intent switch
        {
            SupportIntent.HealthQuestion => (true, false),
            SupportIntent.MoneyOrLegalQuestion => (false, true),
            _ => (false, false),
        };
        if (toHealth == wantHealth && toBillingAndLegal == wantBillingAndLegal)
            return Result(HouseRule.Routing, true, wantHealth || wantBillingAndLegal ? "routed to the right team" : "routed to no team, as it should be");
        var expected = wantHealth ? $"'{Style.HealthTeamPhrase}' only" : wantBillingAndLegal ? $"'{Style.BillingAndLegalTeamPhrase}' only" : "no team";
        var actual = (toHealth, toBillingAndLegal) switch
        {
            (true, true) => "both teams",
            (true, false) => $"'{Style.HealthTeamPhrase}'",
            (false, true) => $"'{Style.BillingAndLegalTeamPhrase}'",
            _ => "no team",
        };
        return Result(HouseRule.Routing, false, $"routed to {actual}; a {intent?.ToName() ?? "message of no recognized intent"} goes to {expected}");
    }

    private RuleResult CheckIntent(string reply, SupportIntent? intent)
    {
        if (intent is not { } known)
            return Result(HouseRule.AddressesIntent, true, "intent not recognized; nothing to check");
        var keywords = Style.IntentKeywords[known];
        var found = keywords.FirstOrDefault(k => reply.Contains(k, StringComparison.OrdinalIgnoreCase));
        return found is not null
            ? Result(HouseRule.AddressesIntent, true, $"mentions '{found}'")
            : Result(HouseRule.AddressesIntent, false, $"a {known.ToName()} reply mentions {string.Join(" or ", keywords.Select(k => $"'{k}'"))}");
    }

    private RuleResult CheckContactDetails(string message, string reply)
    {
        var repeated = ContactDetails.RepeatedIn(message, reply);
        return repeated.Count == 0
            ? Result(HouseRule.NoRepeatedContactDetails, true, "repeats no phone number or e-mail")
            : Result(HouseRule.NoRepeatedContactDetails, false, $"repeats the customer's {string.Join(", ", repeated)}");
    }

    private RuleResult CheckSignOff(string reply) =>
        reply.EndsWith(Style.SignOff, StringComparison.Ordinal)
            ? Result(HouseRule.SignOff, true, "ends with the sign-off")
            : Result(HouseRule.SignOff, false, $"does not end with '{Style.SignOff}'");

    private RuleResult CheckShouting(string reply)
    {
        var shouted = TextWords.Tokens(reply).Where(IsShouted).ToList();
        return shouted.Count == 0
            ? Result(HouseRule.NoShouting, true, "no capitals-only words")
            : Result(HouseRule.NoShouting, false, $"shouts {string.Join(", ", shouted.Select(w => $"'{w}'"))}");
    }

    /// <summary>Capitals only, at least the minimum of letters, and no digits (an order number like "AC-48213" is not shouting).</summary>
    private bool IsShouted(string token)
    {
        if (token.Any(char.IsDigit)) return false;
        var letters = token.Where(char.IsLetter).ToList();
        return letters.Count >= Style.ShoutingMinLetters && letters.All(char.IsUpper);
    }

    private RuleResult CheckPoliteness(string reply)
    {
        var rude = rudeWords.Matches(reply).Select(m => m.Value).ToList();
        return rude.Count == 0
            ? Result(HouseRule.Polite, true, "no rude words")
            : Result(HouseRule.Polite, false, $"uses {string.Join(", ", rude.Select(w => $"'{w}'"))}");
    }
}
