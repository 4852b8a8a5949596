using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Lora;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;
using Pipeline.Training.Tests.Loop;
using Pipeline.Training.Tests.Support;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Sft;

public sealed class SftAdapterTests
{
    // Dropout 0: the global torch generator is shared with tests running in parallel, so a dropout draw could
    // differ between the two runs compared below for reasons outside the code under test.
    private static SftSettings LoraSettings => new()
    {
        Seed = 2,
        Method = FineTuningMethod.Lora,
        Lora = new LoraSettings { R = 4, Alpha = 8, Dropout = 0, TargetModules = ["all-linear"] },
        Epochs = 6,
        BatchSize = 4,
        LearningRate = 5e-2,
        CheckpointEvery = 6,
    };

    [Fact]
    public async Task Lora_trains_only_the_adapters_and_writes_a_peft_folder()
    {
        using var folder = new TempFolder();
        var model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7);
        var baseWeight = model.state_dict()["model.layers.0.mlp.down_proj.weight"].clone();
        var result = await SftTrainer.TrainAsync(new SftJob
        {
            Model = model, Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Greetings(0, 8), OutputDirectory = folder.PathOf("adapter"), BaseModelNameOrPath = "tiny-base",
        }, LoraSettings);

        Assert.True(result.SavedAdapter);
        Assert.True(File.Exists(Path.Combine(folder.PathOf("adapter"), "adapter_config.json")));
        Assert.True(File.Exists(Path.Combine(folder.PathOf("adapter"), "adapter_model.safetensors")));
        Assert.False(File.Exists(Path.Combine(folder.PathOf("adapter"), "model.safetensors")));
        // 1 layer, 7 adapted projections (q, k, v, o, gate, up, down), each r·(in + out) parameters.
        Assert.Equal(4 * ((32 + 32) + (32 + 16) + (32 + 16) + (32 + 32) + (32 + 64) + (32 + 64) + (64 + 32)), result.Trainable.TrainableParameters);
        Assert.True(result.Trainable.TrainableParameters < result.Trainable.TotalParameters / 5);
        var losses = result.Training.Steps.Select(s => s.Loss).ToList();
        // A 0.02-init base bounds the logits a low-rank update can reach, so the drop is modest but clear.
        Assert.True(losses[^1] < losses[0] - 0.1, $"LoRA losses: {string.Join(", ", losses)}");
        var trainedBase = model.state_dict().Single(kv => kv.Key.EndsWith("layers.0.mlp.down_proj.base_layer.weight", StringComparison.Ordinal)).Value;
        Assert.True(trainedBase.equal(baseWeight).all().item<bool>(), "the frozen base weight changed");

        // The adapter folder on a fresh copy of the base computes what the trained model computes.
        using var reloaded = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7);
        LoraAdapter.Load(reloaded, folder.PathOf("adapter"));
        model.eval();
        reloaded.eval();
        using var _ = no_grad();
        var ids = tensor(new long[] { 1, 40, 50, 60 }, [1, 4]);
        Assert.True(model.Forward(ids).Logits.allclose(reloaded.Forward(ids).Logits, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public async Task A_lora_run_resumes_exactly_from_its_adapter_checkpoint()
    {
        using var folder = new TempFolder();
        async Task<SftResult> Run(string? resumeFrom, Func<string, int, Task>? saved) => await SftTrainer.TrainAsync(new SftJob
        {
            Model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7),   // the base comes from the base model, not the checkpoint
            Tokenizer = TinyTokenizer.WithMerges, ChatTemplate = new ChatMlTemplate(),
            Train = TrainingTexts.Greetings(0, 8), OutputDirectory = folder.PathOf(resumeFrom is null ? "a" : "b"),
            Hooks = new TrainingHooks { ResumeFrom = resumeFrom, CheckpointSaved = saved },
        }, LoraSettings);

        var whole = await Run(null, (directory, step) =>
        {
            if (step == 6) ExactResumeTests.CopyDirectory(directory, folder.PathOf("step-6"));
            return Task.CompletedTask;
        });
        var resumed = await Run(folder.PathOf("step-6"), null);

        Assert.Equal(12, whole.Training.Steps.Count);
        Assert.Equal(whole.Training.Steps.Skip(6).Select(s => s.Loss), resumed.Training.Steps.Skip(6).Select(s => s.Loss));
        var a = File.ReadAllBytes(Path.Combine(folder.PathOf("a"), "adapter_model.safetensors"));
        var b = File.ReadAllBytes(Path.Combine(folder.PathOf("b"), "adapter_model.safetensors"));
        Assert.Equal(a, b);
    }
}
