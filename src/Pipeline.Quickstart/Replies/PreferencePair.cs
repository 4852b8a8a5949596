namespace Pipeline.Quickstart.Replies;

/// <summary>How the two replies of a preference pair were made.</summary>
public enum PreferencePairKind
{
    /// <summary>The reference reply against one flaw of it.</summary>
    GoodVersusFlawed,

    /// <summary>A reply with one flaw against the same reply with a second flaw added.</summary>
    FlawedVersusMoreFlawed,

    /// <summary>Two replies with one different flaw each, the lighter flaw chosen.</summary>
    FlawedVersusFlawed,
}

/// <summary>A preference pair: the labeler chose <see cref="Chosen"/> over <see cref="Rejected"/> for the message, by a strictly higher score.</summary>
public sealed record PreferencePair
{
    public required CustomerMessage Message { get; init; }

    public required string Chosen { get; init; }

    public required string Rejected { get; init; }

    public required PreferencePairKind Kind { get; init; }

    public required double ChosenScore { get; init; }

    public required double RejectedScore { get; init; }
}
