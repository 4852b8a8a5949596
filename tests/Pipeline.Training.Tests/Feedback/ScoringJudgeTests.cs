using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Data;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Feedback.Judges;

namespace Pipeline.Training.Tests.Feedback;

public sealed class ScoringJudgeTests
{
    [Fact]
    public async Task An_llm_rating_1_to_10_is_mapped_to_0_1_counted_and_paired_by_score()
    {
        // The canned judge gives a reply as many points as it has words (1–10), in the "Score: N" form.
        var client = new CannedChatClient((prompt, _) =>
        {
            var reply = prompt.Split("Reply:\n")[1].Split("\n\nAnswer")[0];
            return $"Score: {reply.Split(' ').Length}";
        });
        var judge = new ScoringJudge(new LlmJudge(client, new LlmJudgeOptions()), "llm (score, canned)");
        var batch = await judge.RankAsync([new CandidateReplies([new ChatMessage("user", "Hi")], ["one", "one two three four", "one two"])],
            FeedbackPairing.BestVsWorst, 0, CancellationToken.None);

        Assert.Equal([0.0, 3 / 9.0, 1 / 9.0], batch.Prompts[0].Scores);
        Assert.Equal([(1, 0)], batch.Prompts[0].Pairs);
        Assert.Equal(new JudgeCounts(3, 0, 0, 0, 30, 3), batch.Counts);
        Assert.Equal("llm (score, canned)", judge.Description);
    }

    [Theory]
    [InlineData("7", true)]
    [InlineData("Score: 10.", true)]
    [InlineData("0", false)]
    [InlineData("11", false)]
    [InlineData("7/10", false)]
    [InlineData("I'd say 7", false)]
    public void A_score_parses_only_as_a_whole_number_on_the_scale(string answer, bool parses) =>
        Assert.Equal(parses, LlmJudge.TryParse(answer, 1, 10, out _));
}
