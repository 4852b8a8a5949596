using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;
using Pipeline.Training.Tests.Support;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Sft;

public sealed class SftTrainerTests
{
    private static SftSettings Settings => new()
    {
        Seed = 4,
        Epochs = 15,
        BatchSize = 4,
        LearningRate = 1e-2,
        WarmupRatio = 0.1,
        EvalEvery = 10,
        MaxSeqLength = 64,
    };

    [Fact]
    public async Task A_short_run_lowers_the_validation_loss_and_writes_a_loadable_model_folder()
    {
        using var folder = new TempFolder();
        var tokenizerDirectory = folder.PathOf("tokenizer");
        new Pipeline.Tokenizers.ByteLevelBpeTrainer(new Pipeline.Tokenizers.ByteLevelBpeTrainerOptions { VocabSize = 300, ChatTemplateName = "chatml" })
            .Train(TrainingTexts.Corpus()).Save(tokenizerDirectory);
        var model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7, layers: 2);
        var progress = new List<TrainingProgress>();

        var result = await SftTrainer.TrainAsync(new SftJob
        {
            Model = model,
            Tokenizer = TinyTokenizer.WithMerges,
            ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Greetings(0, 8),
            Validation = TrainingTexts.Greetings(8, 4),           // unseen names, same reply pattern
            OutputDirectory = folder.PathOf("model"),
            TokenizerDirectory = tokenizerDirectory,
            Hooks = new TrainingHooks { Progress = progress.Add },
        }, Settings);

        var evaluations = result.Training.Evaluations.Select(e => e.Metrics[MetricNames.EvalLoss]).ToList();
        Assert.Equal(30, result.Training.Steps.Count);              // 15 epochs × 2 steps
        Assert.Equal(3, evaluations.Count);                         // steps 10, 20, 30
        var before = InitialValidationLoss();
        Assert.True(evaluations[^1] < 0.5 * before, $"validation loss {before} → {string.Join(", ", evaluations)}");
        Assert.Equal(Math.Exp(evaluations[^1]), result.Metrics[MetricNames.EvalPerplexity], 9);
        Assert.True(result.Metrics[MetricNames.TokensPerSecond] > 0);
        Assert.Equal(result.Training.Steps.Average(s => s.Loss), result.Metrics[MetricNames.TrainLoss], 12);
        Assert.Equal(30, progress.Count);
        Assert.Equal(TimeSpan.Zero, progress[^1].Remaining);

        // The output is a Hugging Face model folder that loads and computes what the trained model computes.
        Assert.True(File.Exists(Path.Combine(folder.PathOf("model"), "tokenizer.json")));
        using var loaded = CausalLmLoader.Load(folder.PathOf("model"));
        using var _ = no_grad();
        var ids = tensor(new long[] { 1, 50, 60, 70 }, [1, 4]);
        Assert.True(model.Forward(ids).Logits.allclose(loaded.Forward(ids).Logits, rtol: 0, atol: 0));
    }

    [Fact]
    public async Task Packing_trains_on_fewer_fuller_rows_and_learns_as_well()
    {
        using var folder = new TempFolder();
        var model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7, layers: 2);

        var result = await SftTrainer.TrainAsync(new SftJob
        {
            Model = model,
            Tokenizer = TinyTokenizer.WithMerges,
            ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Greetings(0, 8),
            Validation = TrainingTexts.Greetings(8, 4),
            OutputDirectory = folder.PathOf("model"),
        }, Settings with { Packing = true, BatchSize = 1, Epochs = 30 });

        // Eight greetings of ~20 tokens fit three or four to a 64-token row.
        Assert.InRange(result.TrainRows, 2, 4);
        Assert.Equal(8, result.TrainEncoding.Sequences.Count);
        Assert.Equal(30 * result.TrainRows, result.Training.Steps.Count);
        var efficiency = result.Metrics[MetricNames.PackingEfficiency];
        var tokens = result.TrainEncoding.Sequences.Sum(s => s.InputIds.Count);
        Assert.Equal(tokens / (64.0 * result.TrainRows), efficiency, 12);
        Assert.InRange(efficiency, 0.5, 1.0);
        var before = InitialValidationLoss();
        Assert.True(result.Metrics[MetricNames.EvalLoss] < 0.5 * before, $"validation loss {before} → {result.Metrics[MetricNames.EvalLoss]}");
    }

    [Fact]
    public async Task Packing_with_prompt_tuning_is_refused_with_the_reason()
    {
        using var model = TinyModels.Create(TinyTokenizer.WithMerges);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SftTrainer.TrainAsync(new SftJob
        {
            Model = model, Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Greetings(0, 2), OutputDirectory = "unused",
        }, Settings with { Packing = true, Method = FineTuningMethod.PromptTuning }));
        Assert.Contains("only the first packed conversation would see them", error.Message);
    }

    [Fact]
    public async Task Bfloat16_training_keeps_float32_masters_and_still_learns()
    {
        using var folder = new TempFolder();
        var model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7);
        var result = await SftTrainer.TrainAsync(new SftJob
        {
            Model = model, Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Greetings(0, 8), OutputDirectory = folder.PathOf("model"),
        }, Settings with { Dtype = TrainingDtype.Bfloat16, Device = TrainingDevice.Cpu });

        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        var losses = result.Training.Steps.Select(s => s.Loss).ToList();
        Assert.True(losses[^1] < 0.7 * losses[0], $"bf16 losses: {string.Join(", ", losses)}");
        Assert.Equal("bfloat16", System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(folder.PathOf("model"), "config.json")))!["torch_dtype"]!.GetValue<string>());
    }

    private static double InitialValidationLoss()
    {
        using var model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7, layers: 2);
        var validation = new SftEncoder(TinyTokenizer.WithMerges, new ChatMlTemplate(), 64).EncodeAll(TrainingTexts.Greetings(8, 4)).Sequences;
        using var _ = no_grad();
        return new SftTask(model, TinyTokenizer.Pad).Evaluate(validation, 4)[MetricNames.EvalLoss];
    }
}
