using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Data;

namespace Pipeline.Training.Feedback.Judges;

/// <summary>One prompt and the replies sampled for it, to be ranked.</summary>
public sealed record CandidateReplies(IReadOnlyList<ChatMessage> Prompt, IReadOnlyList<string> Replies);

/// <summary>
/// A prompt's verdict: a score per reply (higher is better; NaN where the judge gave none) and the preference pairs as
/// indices (chosen, rejected) into the replies.
/// </summary>
public sealed record RankedReplies(IReadOnlyList<double> Scores, IReadOnlyList<(int Chosen, int Rejected)> Pairs);

/// <summary>A batch's verdicts and what the judge spent on them.</summary>
public sealed record JudgedBatch(IReadOnlyList<RankedReplies> Prompts, JudgeCounts Counts);

/// <summary>
/// Ranks the replies of the feedback stage into preference pairs: a scoring judge (a rule, a reward model, an LLM rating
/// 1–10) through <see cref="FeedbackPairs"/>, or a pairwise LLM judge whose agreeing verdicts are the pairs.
/// </summary>
public interface IFeedbackJudge
{
    /// <summary>The config's judge name (house_style, reward_model, llm), recorded with every row.</summary>
    string Name { get; }

    /// <summary>How it judges (mode, model, endpoint), recorded in the provenance and the card.</summary>
    string Description { get; }

    Task<JudgedBatch> RankAsync(IReadOnlyList<CandidateReplies> prompts, FeedbackPairing pairing, double minMargin, CancellationToken ct);
}
