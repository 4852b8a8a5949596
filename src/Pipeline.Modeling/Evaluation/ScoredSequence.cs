namespace Pipeline.Modeling.Evaluation;

/// <summary>
/// One tokenized document for likelihood evaluation: its ids and, per token, whether its likelihood counts
/// (every token of plain text; with completion-only scoring, just the assistant's tokens of a conversation).
/// The first token is never scored: nothing precedes it to predict it from.
/// </summary>
public sealed record ScoredSequence(int[] Ids, bool[] Scored)
{
    public static ScoredSequence AllScored(IReadOnlyList<int> ids) => new([.. ids], [.. ids.Select(_ => true)]);

    /// <summary>Tokens whose likelihood is counted: scored ones after the first position.</summary>
    public int TargetCount => Scored.Skip(1).Count(s => s);
}
