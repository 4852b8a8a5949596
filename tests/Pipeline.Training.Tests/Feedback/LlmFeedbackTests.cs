using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Feedback;
using Pipeline.Training.Feedback.Judges;
using Pipeline.Training.Loop;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Feedback;

/// <summary>The feedback collector with LLM judges (over canned chat clients) and with human raters.</summary>
public sealed class LlmFeedbackTests
{
    private static readonly FeedbackSettings Settings = FeedbackCollectorTests.Settings with { Pairing = FeedbackPairing.AllPairs };

    private static FeedbackJob Job(string output, IFeedbackJudge? judge, TrainingHooks? hooks = null) =>
        FeedbackCollectorTests.Job(output, hooks ?? new TrainingHooks()) with { Judge = judge };

    private static PairwiseLlmJudge Pairwise(CannedChatClient client) => new(client, new PairwiseJudgeOptions { Description = "llm (pairwise, canned)" });

    [Fact]
    public async Task Pairwise_verdicts_become_pairs_and_the_card_reports_the_judges_calls_agreement_and_tokens()
    {
        using var folder = new TempFolder();
        var client = CannedChatClient.MoreLetters();
        var result = await FeedbackCollector.CollectAsync(Job(folder.PathOf("out"), Pairwise(client)), Settings);

        var card = result.Card;
        Assert.Equal(client.Calls, card.JudgeCalls);
        Assert.Equal((0L, 0L), (card.JudgeParseFailures, card.PositionBiasDisagreements));
        Assert.Equal(1.0, card.JudgeAgreementRate);
        Assert.Equal((10L * client.Calls, (long)client.Calls), (card.JudgeInputTokens, card.JudgeOutputTokens));
        Assert.Equal(card.JudgeAgreements, card.TrainPairs + card.ValidationPairs);   // all_pairs: every agreeing verdict is a pair
        var pairs = Pipeline.Training.Datasets.DatasetShards.ReadSplit(result.OutputDirectory!, Pipeline.Training.Datasets.DatasetShards.Train);
        Assert.All(pairs, p => Assert.True(p.Chosen!.Count(char.IsLetter) >= p.Rejected!.Count(char.IsLetter)));
        var markdown = File.ReadAllText(Path.Combine(result.OutputDirectory!, FeedbackCard.MarkdownFile));
        Assert.Contains($"| judge calls (retries included) | {client.Calls:N0} |", markdown);
        Assert.Contains("| judge agreement rate | 100.0 % |", markdown);
        Assert.Contains("\"judge_settings\":\"llm (pairwise, canned)\"", File.ReadAllText(Path.Combine(result.OutputDirectory!, FeedbackCollector.ProvenanceFile)));
    }

    [Fact]
    public async Task A_judge_whose_answers_never_parse_leaves_no_pair_and_the_error_counts_the_dropped_verdicts()
    {
        using var folder = new TempFolder();
        var client = new CannedChatClient((_, _) => "Hmm.");
        var judge = new ScoringJudge(new LlmJudge(client, new LlmJudgeOptions { MaxAttempts = 2 }), "llm (score, canned)");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => FeedbackCollector.CollectAsync(Job(folder.PathOf("out"), judge), Settings));
        // 12 prompts × 4 replies, each asked twice.
        Assert.Contains("(96 judge calls, 48 verdicts unparseable after the retries", error.Message);
        Assert.False(Directory.Exists(folder.PathOf("out")));
    }

    [Fact]
    public async Task An_endpoint_that_fails_mid_run_keeps_the_finished_batches_and_a_resumed_run_writes_the_same_bytes()
    {
        using var folder = new TempFolder();
        var whole = await FeedbackCollector.CollectAsync(Job(folder.PathOf("whole"), Pairwise(CannedChatClient.MoreLetters())), Settings with { CheckpointEvery = 10 });

        // Batches of 3 prompts × C(4,2)·2 = 12 calls per prompt at most: the endpoint dies during the third batch.
        var fair = CannedChatClient.MoreLetters();
        var dying = new CannedChatClient((prompt, call) => call > 80 ? throw new HttpRequestException("Connection refused (127.0.0.1:9)")
            : fair.GetResponseAsync([new(Microsoft.Extensions.AI.ChatRole.User, prompt)]).Result.Text);
        var saved = folder.PathOf("saved");
        var kept = -1;
        var error = await Assert.ThrowsAsync<FeedbackJudgeException>(() => FeedbackCollector.CollectAsync(Job(folder.PathOf("first"), Pairwise(dying), new TrainingHooks
        {
            CheckpointSaved = (checkpoint, batches) =>
            {
                kept = batches;
                Directory.CreateDirectory(saved);
                foreach (var file in Directory.GetFiles(checkpoint)) File.Copy(file, Path.Combine(saved, Path.GetFileName(file)), overwrite: true);
                return Task.CompletedTask;
            },
        }), Settings with { CheckpointEvery = 10 }));
        Assert.True(kept >= 1, $"no checkpoint of the finished batches (kept {kept})");
        Assert.Contains($"The first {kept} finished batches are kept", error.Message);
        Assert.Contains("Connection refused (127.0.0.1:9)", error.Message);

        var resumed = await FeedbackCollector.CollectAsync(Job(folder.PathOf("resumed"), Pairwise(CannedChatClient.MoreLetters()), new TrainingHooks { ResumeFrom = saved }),
            Settings with { CheckpointEvery = 10 });
        foreach (var file in Directory.GetFiles(whole.OutputDirectory!).Select(Path.GetFileName))
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole.OutputDirectory!, file!)), File.ReadAllBytes(Path.Combine(resumed.OutputDirectory!, file!)));
    }

    [Fact]
    public async Task With_human_raters_the_distinct_replies_are_written_as_candidates_and_no_pair_is_made()
    {
        using var folder = new TempFolder();
        var result = await FeedbackCollector.CollectAsync(Job(folder.PathOf("out"), null), Settings);

        var (prompts, meta) = FeedbackCandidates.Read(result.OutputDirectory!);
        Assert.Equal(12, prompts.Count);
        Assert.All(prompts, p =>
        {
            Assert.InRange(p.Replies.Count, 1, 4);
            Assert.Equal(p.Replies.Count, p.Replies.Select(r => r.Text).Distinct().Count());
            Assert.All(p.Replies, r => Assert.StartsWith(p.PromptId + "-r", r.Id));
            Assert.Equal("user", p.Messages[^1].Role);
        });
        Assert.Equal(("tiny-policy", 4), (meta.Generator, meta.SamplesPerPrompt));
        Assert.Equal(prompts.Sum(p => p.Replies.Count), result.Card.Candidates);
        Assert.False(File.Exists(Path.Combine(result.OutputDirectory!, FeedbackCollector.ProvenanceFile)));
    }
}
