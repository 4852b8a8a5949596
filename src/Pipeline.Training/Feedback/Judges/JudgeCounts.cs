namespace Pipeline.Training.Feedback.Judges;

/// <summary>
/// What an LLM judge did: calls (retries included), verdicts dropped because no answer parsed, pairwise comparisons whose
/// two orders agreed or disagreed (position bias), and the tokens its endpoint reported. Zero for a rule or a reward model.
/// </summary>
public sealed record JudgeCounts(long Calls, long ParseFailures, long Agreements, long Disagreements, long InputTokens, long OutputTokens)
{
    public static readonly JudgeCounts None = new(0, 0, 0, 0, 0, 0);

    /// <summary>Share of both-order comparisons (both answers parsed) whose verdicts agreed; null when there were none.</summary>
    public double? AgreementRate => Agreements + Disagreements == 0 ? null : (double)Agreements / (Agreements + Disagreements);

    public static JudgeCounts operator +(JudgeCounts a, JudgeCounts b) => new(a.Calls + b.Calls, a.ParseFailures + b.ParseFailures,
        a.Agreements + b.Agreements, a.Disagreements + b.Disagreements, a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens);
}
