using Microsoft.Extensions.AI;
using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Training.Alignment.Rewards;

namespace Pipeline.Training.Feedback.Judges;

/// <summary>How a pairwise LLM judge asks: its prompts and how often to ask again.</summary>
public sealed record PairwiseJudgeOptions
{
    public const string DefaultSystemPrompt = "You are a strict, fair reviewer of customer-support replies. You compare two replies and name the better one.";

    /// <summary>{conversation} is the prompt's turns, {reply_a} and {reply_b} the two replies; the answer must be A or B.</summary>
    public const string DefaultTemplate =
        "Which reply to the conversation below is better: more helpful, correct, polite and brief?\n\n" +
        "Conversation:\n{conversation}\n\nReply A:\n{reply_a}\n\nReply B:\n{reply_b}\n\nAnswer with the letter A or B only.";

    public string Name { get; init; } = "llm";
    public string SystemPrompt { get; init; } = DefaultSystemPrompt;
    public string Template { get; init; } = DefaultTemplate;

    /// <summary>Asks per verdict before an unparseable answer is counted and dropped, default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Requests in flight at once, default 4 (an in-process model batches them; an endpoint has its own limit too).</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Longest answer in tokens, default 16.</summary>
    public int MaxAnswerTokens { get; init; } = 16;

    /// <summary>How it judges, for the card and the provenance (the model and endpoint are the caller's to add).</summary>
    public string Description { get; init; } = "llm (pairwise)";
}

/// <summary>
/// An LLM judge that compares two replies at a time (RLAIF, as in MT-Bench's pairwise mode). For k replies every one of the
/// C(k,2) pairs with different texts is asked in both orders (A/B, then B/A) at temperature 0; a pair counts only when both
/// answers parse and name the same reply, so a judge that favours a position cannot make a pair (the disagreement is
/// counted). The agreeing verdicts become pairs through <see cref="PairwiseRanking"/>. Cost: k(k−1) calls per prompt.
/// </summary>
public sealed class PairwiseLlmJudge(IChatClient client, PairwiseJudgeOptions options) : IFeedbackJudge
{
    public string Name => options.Name;

    public string Description => options.Description;

    /// <summary>One question: reply <paramref name="First"/> shown as A, <paramref name="Second"/> as B.</summary>
    private sealed record Comparison(int Prompt, int First, int Second);

    public async Task<JudgedBatch> RankAsync(IReadOnlyList<CandidateReplies> prompts, FeedbackPairing pairing, double minMargin, CancellationToken ct)
    {
        // 1. every pair of different replies, in both orders
        var comparisons = new List<Comparison>();
        for (var p = 0; p < prompts.Count; p++)
        {
            var replies = prompts[p].Replies;
            for (var i = 0; i < replies.Count; i++)
                for (var j = i + 1; j < replies.Count; j++)
                    if (replies[i] != replies[j]) comparisons.AddRange([new(p, i, j), new(p, j, i)]);
        }

        // 2. ask them all, a bounded number at a time
        long calls = 0, inputTokens = 0, outputTokens = 0;
        using var gate = new SemaphoreSlim(options.MaxConcurrency);
        var winners = await Task.WhenAll(comparisons.Select(async c =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await AskAsync(prompts[c.Prompt], c, ct).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        // 3. keep the pairs whose two orders agree
        long parseFailures = winners.Count(w => w is null), agreements = 0, disagreements = 0;
        var agreed = prompts.Select(_ => new List<(int, int)>()).ToList();
        for (var n = 0; n < comparisons.Count; n += 2)
        {
            var (forward, backward) = (winners[n], winners[n + 1]);
            if (forward is null || backward is null) continue;
            if (forward != backward)
            {
                disagreements++;
                continue;
            }
            agreements++;
            var c = comparisons[n];
            agreed[c.Prompt].Add(forward == c.First ? (c.First, c.Second) : (c.Second, c.First));
        }
        var ranked = prompts.Select((p, i) => PairwiseRanking.Rank(p.Replies.Count, agreed[i], pairing)).ToList();
        return new JudgedBatch(ranked, new JudgeCounts(calls, parseFailures, agreements, disagreements, inputTokens, outputTokens));

        // The winner's index, or null when no answer parsed.
        async Task<int?> AskAsync(CandidateReplies prompt, Comparison comparison, CancellationToken cancel)
        {
            var text = options.Template.Replace("{conversation}", LlmJudge.Conversation(prompt.Prompt), StringComparison.Ordinal)
                .Replace("{reply_a}", prompt.Replies[comparison.First], StringComparison.Ordinal)
                .Replace("{reply_b}", prompt.Replies[comparison.Second], StringComparison.Ordinal);
            List<ChatMessage> messages = [new(ChatRole.System, options.SystemPrompt), new(ChatRole.User, text)];
            for (var attempt = 0; attempt < options.MaxAttempts; attempt++)
            {
                Interlocked.Increment(ref calls);
                var response = await client.GetResponseAsync(messages, LlmJudge.AttemptOptions(attempt, options.MaxAnswerTokens), cancel)
                    .ConfigureAwait(false);
                Interlocked.Add(ref inputTokens, response.Usage?.InputTokenCount ?? 0);
                Interlocked.Add(ref outputTokens, response.Usage?.OutputTokenCount ?? 0);
                if (PairwiseVerdict.TryParse(response.Text, out var firstWins)) return firstWins ? comparison.First : comparison.Second;
            }
            return null;
        }
    }
}
