using Pipeline.Quickstart.Labeling;

namespace Pipeline.Quickstart.Replies;

/// <summary>
/// A defect the flawed-reply generators put into a good reply. Each breaks exactly one house rule
/// (<see cref="ReplyFlaws.BrokenRule"/>), except <see cref="OffIntent"/> on a health or money/legal question,
/// which also drops the routing.
/// </summary>
public enum ReplyFlaw
{
    /// <summary>No "Hi"/"Hello": the greeting is dropped or replaced by "Dear ...".</summary>
    MissingGreeting,

    /// <summary>Padded with polite filler past the word limit.</summary>
    TooLong,

    /// <summary>Repeats the customer's phone number or e-mail (only for messages that have one).</summary>
    RepeatsContactDetails,

    /// <summary>Sends the question to the wrong team, or a question that needs no team to one.</summary>
    WrongRouting,

    /// <summary>Adds a rude sentence.</summary>
    Rude,

    /// <summary>Drops the sign-off or replaces it with another.</summary>
    NoSignOff,

    /// <summary>Answers another intent's question.</summary>
    OffIntent,

    /// <summary>Writes its first sentence in capitals.</summary>
    Shouting,
}

public static class ReplyFlaws
{
    public static IReadOnlyList<ReplyFlaw> All { get; } = Enum.GetValues<ReplyFlaw>();

    /// <summary>The rule a flaw breaks.</summary>
    public static HouseRule BrokenRule(this ReplyFlaw flaw) => flaw switch
    {
        ReplyFlaw.MissingGreeting => HouseRule.Greeting,
        ReplyFlaw.TooLong => HouseRule.Brevity,
        ReplyFlaw.RepeatsContactDetails => HouseRule.NoRepeatedContactDetails,
        ReplyFlaw.WrongRouting => HouseRule.Routing,
        ReplyFlaw.Rude => HouseRule.Polite,
        ReplyFlaw.NoSignOff => HouseRule.SignOff,
        ReplyFlaw.OffIntent => HouseRule.AddressesIntent,
        ReplyFlaw.Shouting => HouseRule.NoShouting,
        _ => throw new ArgumentOutOfRangeException(nameof(flaw), flaw, "not a reply flaw"),
    };
}
