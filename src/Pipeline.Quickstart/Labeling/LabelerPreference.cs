namespace Pipeline.Quickstart.Labeling;

/// <summary>Which of two replies the simulated labeler prefers.</summary>
public enum PreferredReply
{
    A,
    B,
}

/// <summary>What settled a preference, from the strongest ground to the arbitrary but deterministic last resort.</summary>
public enum PreferenceGround
{
    /// <summary>One reply follows the house style better.</summary>
    HigherScore,

    /// <summary>Equal scores: the shorter reply (fewer characters) wins, as a rater would pick the more concise answer.</summary>
    ShorterReply,

    /// <summary>Equal scores and lengths: ordinal text order, only so the outcome never depends on argument order.</summary>
    OrdinalOrder,

    /// <summary>The two replies are the same text; A is reported.</summary>
    IdenticalReplies,
}

/// <summary>The labeler's choice between replies A and B, with both verdicts.</summary>
public sealed record LabelerPreference
{
    public required PreferredReply Preferred { get; init; }

    public required PreferenceGround Ground { get; init; }

    public required string ReplyA { get; init; }

    public required string ReplyB { get; init; }

    public required LabelerVerdict VerdictA { get; init; }

    public required LabelerVerdict VerdictB { get; init; }

    public string Chosen => Preferred == PreferredReply.A ? ReplyA : ReplyB;

    public string Rejected => Preferred == PreferredReply.A ? ReplyB : ReplyA;

    public LabelerVerdict ChosenVerdict => Preferred == PreferredReply.A ? VerdictA : VerdictB;

    public LabelerVerdict RejectedVerdict => Preferred == PreferredReply.A ? VerdictB : VerdictA;
}
