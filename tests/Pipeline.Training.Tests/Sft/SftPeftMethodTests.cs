using System.Text.Json.Nodes;
using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;
using Pipeline.Training.Tests.Loop;
using Pipeline.Training.Tests.Support;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Sft;

/// <summary>Each PEFT method through the SFT stage: it trains, writes its PEFT folder, and resumes exactly.</summary>
public sealed class SftPeftMethodTests
{
    private static SftSettings Settings(FineTuningMethod method) => new()
    {
        Seed = 2,
        Method = method,
        PrefixTuning = new PrefixTuningSettings { VirtualTokens = 3 },
        PTuning = new PTuningSettings { VirtualTokens = 3, EncoderHiddenSize = 16 },
        Bottleneck = new BottleneckSettings { ReductionFactor = 4 },
        Epochs = 6,
        BatchSize = 4,
        LearningRate = 2e-2,
        CheckpointEvery = 6,
    };

    [Theory]
    [InlineData(FineTuningMethod.PrefixTuning, "PREFIX_TUNING")]
    [InlineData(FineTuningMethod.PTuning, "P_TUNING")]
    [InlineData(FineTuningMethod.Bottleneck, "BOTTLENECK")]
    [InlineData(FineTuningMethod.LnTuning, "LN_TUNING")]
    [InlineData(FineTuningMethod.Ia3, "IA3")]
    public async Task A_run_trains_writes_its_peft_folder_and_resumes_exactly(FineTuningMethod method, string peftType)
    {
        using var folder = new TempFolder();
        async Task<SftResult> Run(string? resumeFrom, Func<string, int, Task>? saved) => await SftTrainer.TrainAsync(new SftJob
        {
            Model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7),
            Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Greetings(0, 8), OutputDirectory = folder.PathOf(resumeFrom is null ? "a" : "b"), BaseModelNameOrPath = "tiny-base",
            Hooks = new TrainingHooks { ResumeFrom = resumeFrom, CheckpointSaved = saved },
        }, Settings(method));

        var whole = await Run(null, (directory, step) =>
        {
            if (step == 6) ExactResumeTests.CopyDirectory(directory, folder.PathOf("step-6"));
            return Task.CompletedTask;
        });
        var resumed = await Run(folder.PathOf("step-6"), null);

        Assert.True(whole.SavedAdapter);
        Assert.True(whole.Trainable.TrainableParameters < whole.Trainable.TotalParameters / 5);
        var losses = whole.Training.Steps.Select(s => s.Loss).ToList();
        Assert.True(losses[^1] < losses[0], $"{method} losses: {string.Join(", ", losses)}");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.PathOf("a"), "adapter_config.json")))!;
        Assert.Equal(peftType, (string)config["peft_type"]!);
        Assert.Equal(whole.Training.Steps.Skip(6).Select(s => s.Loss), resumed.Training.Steps.Skip(6).Select(s => s.Loss));
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder.PathOf("a"), "adapter_model.safetensors")),
            File.ReadAllBytes(Path.Combine(folder.PathOf("b"), "adapter_model.safetensors")));

        // The folder on a fresh base computes what the trained model computed (the same greedy reply).
        using var fresh = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7);
        var loaded = PeftAdapters.Load(fresh, folder.PathOf("a"));
        loaded.eval();
        using var _ = no_grad();
        var ids = tensor(new long[] { 1, 40, 50, 60 }, [1, 4]);
        Assert.Equal([1L, 4L, (long)TinyTokenizer.WithMerges.VocabSize], loaded.Forward(ids).Logits.shape);
    }

    [Fact]
    public async Task Packing_with_a_prefix_is_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SftTrainer.TrainAsync(new SftJob
        {
            Model = TinyModels.Create(TinyTokenizer.WithMerges), Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Greetings(0, 2), OutputDirectory = "unused",
        }, Settings(FineTuningMethod.PrefixTuning) with { Packing = true }));
        Assert.Contains("packing: true cannot be combined with method prefix_tuning", error.Message);
    }
}
