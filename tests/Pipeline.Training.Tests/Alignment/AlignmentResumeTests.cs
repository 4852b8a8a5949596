using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Modeling;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Alignment.Dpo;
using Pipeline.Training.Alignment.Grpo;
using Pipeline.Training.Alignment.Loop;
using Pipeline.Training.Alignment.Ppo;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Loop;
using Pipeline.Training.Tests.Support;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Alignment;

/// <summary>
/// A PPO, GRPO or DPO run that yields at a checkpoint and is resumed from it in a fresh process state (new model
/// objects, the checkpoint folder only) ends with weights bit-identical to the uninterrupted run.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class AlignmentResumeTests
{
    /// <summary>A rule reward that differs between random completions: the share of letters among the characters.</summary>
    internal sealed class LetterShare : IRewardFunction
    {
        public string Name => "letter_share";

        public double Score(IReadOnlyList<ChatMessage> prompt, string completion) =>
            completion.Length == 0 ? 0 : completion.Count(char.IsLetter) / (double)completion.Length;
    }

    private static readonly RewardSourceCatalog Rewards = new([new LetterShare()], null);

    internal static OnlineAlignmentJob Job(CausalLanguageModel policy, string output, TrainingHooks hooks) => new()
    {
        Policy = policy, LoadReference = () => TinyModels.Create(TinyTokenizer.WithMerges, seed: 7),
        Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
        Train = TrainingTexts.Greetings(0, 6), Validation = TrainingTexts.Greetings(6, 2), Rewards = Rewards,
        OutputDirectory = output, Hooks = hooks, Stage = "grpo",
    };

    internal static GrpoSettings Grpo(FineTuningMethod method = FineTuningMethod.Full) => new()
    {
        Seed = 5, MaxSteps = 4, PromptsPerStep = 2, NumGenerations = 3, BatchSize = 4, LearningRate = 1e-3, MaxNewTokens = 6,
        CheckpointEvery = 2, EvalEvery = 2, Rewards = [new RewardSourceSettings { Source = "letter_share" }], EvalReward = "letter_share",
        Method = method, Dtype = TrainingDtype.Float32, Device = TrainingDevice.Cpu, NumIterations = 2, Beta = 0.1,
    };

    internal static PpoSettings Ppo() => new()
    {
        Seed = 5, MaxSteps = 4, RolloutBatchSize = 4, MiniBatchSize = 2, BatchSize = 2, PpoEpochs = 2, LearningRate = 1e-3, MaxNewTokens = 6,
        CheckpointEvery = 2, EvalEvery = 0, Rewards = [new RewardSourceSettings { Source = "letter_share" }], AdaptiveKl = true, TargetKl = 0.5,
        Dtype = TrainingDtype.Float32, Device = TrainingDevice.Cpu,
    };

    [Fact]
    public Task Grpo_resumed_at_a_checkpoint_ends_bit_identical() =>
        AssertResumeIsExact((model, output, hooks) => GrpoTrainer.TrainAsync(Job(model, output, hooks), Grpo()).ContinueWith(t => t.Result.OutputDirectory));

    [Fact]
    public Task Grpo_with_lora_resumed_at_a_checkpoint_ends_bit_identical() =>
        AssertResumeIsExact((model, output, hooks) => GrpoTrainer.TrainAsync(Job(model, output, hooks), Grpo(FineTuningMethod.Lora) with { LearningRate = 1e-2 })
            .ContinueWith(t => t.Result.OutputDirectory));

    [Fact]
    public Task Ppo_resumed_at_a_checkpoint_ends_bit_identical() =>
        AssertResumeIsExact((model, output, hooks) => PpoTrainer.TrainAsync(Job(model, output, hooks) with { Stage = "ppo" }, Ppo()).ContinueWith(t => t.Result.OutputDirectory),
            extraFile: PpoTrainer.ValueHeadFile);

    [Fact]
    public Task Dpo_resumed_at_a_checkpoint_ends_bit_identical() =>
        AssertResumeIsExact((model, output, hooks) => DpoTrainer.TrainAsync(new DpoJob
        {
            Policy = model, LoadReference = () => TinyModels.Create(TinyTokenizer.WithMerges, seed: 7),
            Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Preferences(0, 8), Validation = TrainingTexts.Preferences(8, 2), OutputDirectory = output, Hooks = hooks,
        }, new DpoSettings { Seed = 5, MaxSteps = 4, BatchSize = 2, LearningRate = 1e-3, CheckpointEvery = 2, EvalEvery = 2, Dtype = TrainingDtype.Float32, Device = TrainingDevice.Cpu })
            .ContinueWith(t => t.Result.OutputDirectory));

    /// <summary>Runs uninterrupted, then yields after the first checkpoint and resumes from a copy of it; compares every output file's bytes.</summary>
    private static async Task AssertResumeIsExact(Func<CausalLanguageModel, string, TrainingHooks, Task<string?>> train, string? extraFile = null)
    {
        using var folder = new TempFolder();
        var whole = await train(TinyModels.Create(TinyTokenizer.WithMerges, seed: 7), folder.PathOf("whole"), new TrainingHooks());
        Assert.NotNull(whole);

        var saved = folder.PathOf("saved");
        var yielded = await train(TinyModels.Create(TinyTokenizer.WithMerges, seed: 7), folder.PathOf("first"), new TrainingHooks
        {
            CheckpointSaved = (checkpoint, step) => { CopyFolder(checkpoint, saved); return Task.CompletedTask; },
            ShouldYield = () => true,
        });
        Assert.Null(yielded);                                           // the first slice stopped after its checkpoint
        var resumed = await train(TinyModels.Create(TinyTokenizer.WithMerges, seed: 7), folder.PathOf("resumed"), new TrainingHooks { ResumeFrom = saved });
        Assert.NotNull(resumed);

        var weights = Directory.GetFiles(whole!, "*.safetensors").Select(Path.GetFileName).Order().ToList();
        Assert.NotEmpty(weights);
        if (extraFile is not null) Assert.Contains(extraFile, weights);
        foreach (var file in weights)
            Assert.True(File.ReadAllBytes(Path.Combine(whole!, file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(resumed!, file!))),
                $"{file} differs between the uninterrupted and the resumed run");
        // And training changed something: the result is not the starting model.
        using var start = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7);
        var startDirectory = folder.PathOf("start");
        Pipeline.Modeling.Checkpoints.CausalLmLoader.Save(start, startDirectory);
        if (File.Exists(Path.Combine(whole!, "model.safetensors")))
            Assert.False(File.ReadAllBytes(Path.Combine(whole!, "model.safetensors")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(startDirectory, "model.safetensors"))),
                "the aligned model equals the starting model: nothing was trained");
    }

    private static void CopyFolder(string from, string to)
    {
        if (Directory.Exists(to)) Directory.Delete(to, recursive: true);
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
