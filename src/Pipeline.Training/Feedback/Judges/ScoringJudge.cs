using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Training.Alignment.Rewards;

namespace Pipeline.Training.Feedback.Judges;

/// <summary>
/// A judge that scores each reply on its own (a registered rule, a reward model, an LLM rating 1–10); the pairs follow from
/// the scores (<see cref="FeedbackPairs"/>). An <see cref="LlmJudge"/>'s calls, dropped verdicts and tokens are counted.
/// </summary>
public sealed class ScoringJudge(IRewardSource source, string? description = null) : IFeedbackJudge
{
    public string Name => source.Name;

    public string Description => description ?? source.Name;

    public async Task<JudgedBatch> RankAsync(IReadOnlyList<CandidateReplies> prompts, FeedbackPairing pairing, double minMargin, CancellationToken ct)
    {
        var queries = prompts.SelectMany(p => p.Replies.Select(r => new RewardQuery(p.Prompt, r))).ToList();
        var llm = source as LlmJudge;
        var before = Snapshot(llm);
        var scores = llm is null ? source.Score(queries) : await llm.ScoreAsync(queries, ct).ConfigureAwait(false);
        if (scores.Count != queries.Count) throw new InvalidOperationException($"The judge '{Name}' returned {scores.Count} scores for {queries.Count} replies.");
        var ranked = new List<RankedReplies>(prompts.Count);
        var offset = 0;
        foreach (var prompt in prompts)
        {
            var judged = scores.Skip(offset).Take(prompt.Replies.Count).ToList();
            ranked.Add(new RankedReplies(judged, FeedbackPairs.Select(judged, prompt.Replies, pairing, minMargin)));
            offset += prompt.Replies.Count;
        }
        var after = Snapshot(llm);
        return new JudgedBatch(ranked, new JudgeCounts(after.Calls - before.Calls, after.ParseFailures - before.ParseFailures, 0, 0,
            after.InputTokens - before.InputTokens, after.OutputTokens - before.OutputTokens));
    }

    private static JudgeCounts Snapshot(LlmJudge? judge) =>
        judge is null ? JudgeCounts.None : new(judge.Calls, judge.Unparseable, 0, 0, judge.Tokens.Input, judge.Tokens.Output);
}
