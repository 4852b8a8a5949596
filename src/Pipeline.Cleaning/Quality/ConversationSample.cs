namespace Pipeline.Cleaning.Quality;

/// <summary>
/// What the cleaning filters see of one example: its turns and, for a preference pair, the
/// chosen and rejected replies to the final user turn (then <see cref="Turns"/> ends with that
/// user turn and holds no reply).
/// </summary>
public sealed record ConversationSample(string Id, IReadOnlyList<ConversationTurn> Turns, string? Chosen = null, string? Rejected = null)
{
    public bool IsPreferencePair => Chosen is not null || Rejected is not null;

    /// <summary>The replies a model learns from: every assistant turn, then chosen and rejected.</summary>
    public IEnumerable<string> Responses()
    {
        foreach (var turn in Turns)
            if (turn.Role == ConversationRoles.Assistant)
                yield return turn.Content;
        if (Chosen is not null)
            yield return Chosen;
        if (Rejected is not null)
            yield return Rejected;
    }

    /// <summary>The reply trained toward: chosen for a pair, otherwise the last assistant turn.</summary>
    public string? FinalResponse =>
        IsPreferencePair ? Chosen : Turns.LastOrDefault(t => t.Role == ConversationRoles.Assistant)?.Content;

    /// <summary>Every text of the sample: turn contents, then chosen and rejected.</summary>
    public IEnumerable<string> AllTexts()
    {
        foreach (var turn in Turns)
            yield return turn.Content;
        if (Chosen is not null)
            yield return Chosen;
        if (Rejected is not null)
            yield return Rejected;
    }
}
