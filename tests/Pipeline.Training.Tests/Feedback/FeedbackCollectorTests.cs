using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Data;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Datasets;
using Pipeline.Training.Feedback;
using Pipeline.Training.Feedback.Judges;
using Pipeline.Training.Loop;
using Pipeline.Training.Tests.Alignment;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Feedback;

public sealed class FeedbackCollectorTests
{
    internal static readonly FeedbackSettings Settings = new()
    {
        Seed = 4, SamplesPerPrompt = 4, MaxNewTokens = 8, BatchSize = 3, CheckpointEvery = 2, ValidationFraction = 0.3,
    };

    internal static FeedbackJob Job(string output, TrainingHooks hooks) => new()
    {
        Policy = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7), Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
        Prompts = TrainingTexts.Greetings(0, 12), Judge = new ScoringJudge(new RewardFunctionSource(new AlignmentResumeTests.LetterShare())),
        Generator = "tiny-policy", OutputDirectory = output, Hooks = hooks,
    };

    [Fact]
    public async Task Replies_are_judged_into_pairs_split_by_prompt_with_a_card_and_provenance()
    {
        using var folder = new TempFolder();
        var result = await FeedbackCollector.CollectAsync(Job(folder.PathOf("out"), new TrainingHooks()), Settings);

        var train = DatasetShards.ReadSplit(result.OutputDirectory!, DatasetShards.Train);
        var validation = DatasetShards.ReadSplit(result.OutputDirectory!, DatasetShards.Validation);
        Assert.Equal(12, result.Card.Prompts);
        Assert.Equal(48, result.Card.Samples);
        Assert.Equal(12 - result.Card.PromptsWithoutPair, train.Count + validation.Count);   // best vs worst: one pair per prompt that is not tied
        Assert.Equal((train.Count, validation.Count), (result.Card.TrainPairs, result.Card.ValidationPairs));
        Assert.All(train.Concat(validation), e =>
        {
            Assert.True(e.IsPreferencePair);
            Assert.NotEqual(e.Chosen, e.Rejected);
            Assert.Equal("user", e.Messages[^1].Role);          // the prompt, without the dataset's own reply
        });
        // The judge preferred every chosen reply: its letter share is higher.
        var judge = new AlignmentResumeTests.LetterShare();
        Assert.All(train.Concat(validation), e => Assert.True(judge.Score([], e.Chosen!) > judge.Score([], e.Rejected!)));
        // No prompt has pairs on both sides.
        static string Prompt(Example e) => e.Messages[^1].Content;
        Assert.Empty(train.Select(Prompt).Intersect(validation.Select(Prompt)));
        Assert.NotEmpty(validation);
        Assert.Equal(train.Count + validation.Count, File.ReadAllLines(Path.Combine(result.OutputDirectory!, FeedbackCollector.ProvenanceFile)).Length);
        Assert.Contains("\"synthetic\":true", File.ReadAllText(Path.Combine(result.OutputDirectory!, FeedbackCollector.ProvenanceFile)));
        Assert.True(File.Exists(Path.Combine(result.OutputDirectory!, FeedbackCard.MarkdownFile)));
    }

    [Fact]
    public async Task A_run_resumed_from_its_checkpoint_writes_the_same_bytes()
    {
        using var folder = new TempFolder();
        var whole = await FeedbackCollector.CollectAsync(Job(folder.PathOf("whole"), new TrainingHooks()), Settings);
        var saved = folder.PathOf("saved");
        var first = await FeedbackCollector.CollectAsync(Job(folder.PathOf("first"), new TrainingHooks
        {
            CheckpointSaved = (checkpoint, _) =>
            {
                Directory.CreateDirectory(saved);
                foreach (var file in Directory.GetFiles(checkpoint)) File.Copy(file, Path.Combine(saved, Path.GetFileName(file)), overwrite: true);
                return Task.CompletedTask;
            },
            ShouldYield = () => true,
        }), Settings);
        Assert.Null(first.OutputDirectory);
        var resumed = await FeedbackCollector.CollectAsync(Job(folder.PathOf("resumed"), new TrainingHooks { ResumeFrom = saved }), Settings);

        foreach (var file in Directory.GetFiles(whole.OutputDirectory!).Select(Path.GetFileName))
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole.OutputDirectory!, file!)), File.ReadAllBytes(Path.Combine(resumed.OutputDirectory!, file!)));
    }

    [Fact]
    public async Task A_judge_that_ties_everything_is_an_error_naming_it()
    {
        using var folder = new TempFolder();
        var job = Job(folder.PathOf("out"), new TrainingHooks()) with { Judge = new ScoringJudge(new RewardFunctionSource(new Constant())) };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => FeedbackCollector.CollectAsync(job, Settings));
        Assert.StartsWith("The judge 'constant' ranked no reply above another for any of the 12 prompts (it scored every reply the same", error.Message);
    }

    private sealed class Constant : IRewardFunction
    {
        public string Name => "constant";
        public double Score(IReadOnlyList<ChatMessage> prompt, string completion) => 1;
    }
}
