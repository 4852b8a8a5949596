using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Data;
using Pipeline.Training.Feedback.Judges;

namespace Pipeline.Training.Tests.Feedback;

public sealed class PairwiseLlmJudgeTests
{
    private static readonly IReadOnlyList<ChatMessage> Prompt = [new("user", "Greet Ada.")];

    // Letters: "Hello Ada" 8, "Hi" 2, "Hey there Ada" 11, "Hi" again (identical to reply 1: never compared).
    private static readonly CandidateReplies Replies = new(Prompt, ["Hello Ada", "Hi", "Hey there Ada", "Hi"]);

    private static Task<JudgedBatch> Rank(CannedChatClient client, FeedbackPairing pairing, int maxAttempts = 3) =>
        new PairwiseLlmJudge(client, new PairwiseJudgeOptions { MaxAttempts = maxAttempts }).RankAsync([Replies], pairing, 0, CancellationToken.None);

    [Fact]
    public void The_default_template_shows_both_replies()
    {
        Assert.Equal(("x", "y"), CannedChatClient.Replies(PairwiseJudgeOptions.DefaultTemplate.Replace("{reply_a}", "x").Replace("{reply_b}", "y")));
    }

    [Fact]
    public async Task A_consistent_judge_agrees_with_itself_in_both_orders_and_every_verdict_is_a_pair()
    {
        var client = CannedChatClient.MoreLetters(v => $"Answer: {v}");
        var batch = await Rank(client, FeedbackPairing.AllPairs);

        // Distinct pairs: (0,1) (0,2) (0,3) (1,2) (2,3) — (1,3) are the same text. Each asked twice.
        Assert.Equal(10, client.Calls);
        Assert.Equal(new JudgeCounts(10, 0, 5, 0, 100, 10), batch.Counts);
        Assert.Equal(1.0, batch.Counts.AgreementRate);
        Assert.Equal([(0, 1), (2, 0), (0, 3), (2, 1), (2, 3)], Assert.Single(batch.Prompts).Pairs);
        Assert.Equal([2 / 3.0, 0.0, 1.0, 0.0], batch.Prompts[0].Scores);

        var best = await Rank(CannedChatClient.MoreLetters(), FeedbackPairing.BestVsWorst);
        Assert.Equal([(2, 1)], best.Prompts[0].Pairs);   // 2 won all three; 1 lost all (first of the two worst)
    }

    [Fact]
    public async Task A_judge_that_always_picks_the_first_position_makes_no_pair_and_every_comparison_is_a_disagreement()
    {
        var batch = await Rank(new CannedChatClient((_, _) => "A"), FeedbackPairing.AllPairs);
        Assert.Empty(batch.Prompts[0].Pairs);
        Assert.Equal((5L, 0L, 0.0), (batch.Counts.Disagreements, batch.Counts.Agreements, batch.Counts.AgreementRate!.Value));
    }

    [Fact]
    public async Task An_unparseable_answer_is_asked_again_then_counted_and_dropped()
    {
        var rambling = new CannedChatClient((_, _) => "Reply A is clearly better.");
        var batch = await Rank(rambling, FeedbackPairing.AllPairs, maxAttempts: 2);
        Assert.Equal(20, rambling.Calls);                       // 10 verdicts × 2 attempts
        Assert.Equal(new JudgeCounts(20, 10, 0, 0, 200, 20), batch.Counts);
        Assert.Null(batch.Counts.AgreementRate);
        Assert.Empty(batch.Prompts[0].Pairs);

        // An answer that parses on the second try counts, and the first try is not guessed from.
        var fair = CannedChatClient.MoreLetters();
        var second = new CannedChatClient((prompt, call) => call % 2 == 1 ? "I would say A" : fair.GetResponseAsync([new(Microsoft.Extensions.AI.ChatRole.User, prompt)]).Result.Text);
        var retried = await new PairwiseLlmJudge(second, new PairwiseJudgeOptions { MaxAttempts = 2, MaxConcurrency = 1 }).RankAsync([Replies], FeedbackPairing.AllPairs, 0, CancellationToken.None);
        Assert.Equal((20L, 0L, 5L), (retried.Counts.Calls, retried.Counts.ParseFailures, retried.Counts.Agreements));
        Assert.Equal(5, retried.Prompts[0].Pairs.Count);
    }

    [Fact]
    public async Task An_endpoint_failure_is_not_a_verdict_it_reaches_the_caller()
    {
        var down = new CannedChatClient((_, _) => throw new HttpRequestException("Connection refused (127.0.0.1:9)"));
        await Assert.ThrowsAsync<HttpRequestException>(() => Rank(down, FeedbackPairing.AllPairs));
    }
}
