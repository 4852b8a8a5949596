using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Modeling;
using Pipeline.Tokenizers.ChatTemplates;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;
using Pipeline.Training.Tests.Support;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Loop;

/// <summary>A run resumed from a checkpoint reproduces the uninterrupted run bit for bit (CPU, float32).</summary>
public sealed class ExactResumeTests
{
    // 10 examples, micro-batches of 2, 2 per step: 5 micro-batches and 3 steps (2, 2, 1) per epoch, so
    // 12 steps cross three epoch boundaries (reshuffles) and the checkpoint at step 6 sits on one.
    private static readonly SftSettings Settings = new()
    {
        Seed = 11,
        MaxSteps = 12,
        BatchSize = 2,
        GradientAccumulationSteps = 2,
        LearningRate = 3e-3,
        WarmupRatio = 0.2,
        LrScheduler = LearningRateScheduler.Cosine,
        WeightDecay = 0.1,
        MaxGradNorm = 0.5,
        EvalEvery = 4,
        CheckpointEvery = 6,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]     // packed rows: several conversations per row, block-diagonal attention
    public async Task Resuming_at_step_6_gives_the_same_losses_and_final_weights(bool packed)
    {
        using var folder = new TempFolder();
        var (train, validation) = Data();
        if (packed)
        {
            train = SftPacker.Pack(train, 64);
            Assert.InRange(train.Count, 2, 9);                                   // some rows really hold several conversations
        }

        // Uninterrupted run, keeping the step-6 checkpoint.
        using var modelA = TinyModels.Create(TinyTokenizer.WithMerges, seed: 1);
        var checkpoints = new List<int>();
        var resultA = await new TrainingLoop<SftSequence>(new SftTask(modelA, TinyTokenizer.Pad), Settings).RunAsync(train, validation, new TrainingHooks
        {
            CheckpointSaved = (directory, step) =>
            {
                checkpoints.Add(step);
                if (step == 6) CopyDirectory(directory, folder.PathOf("step-6"));
                return Task.CompletedTask;
            },
        });

        // A fresh model with other initial weights: everything must come from the checkpoint.
        using var modelB = TinyModels.Create(TinyTokenizer.WithMerges, seed: 99);
        var resultB = await new TrainingLoop<SftSequence>(new SftTask(modelB, TinyTokenizer.Pad), Settings).RunAsync(train, validation, new TrainingHooks
        {
            ResumeFrom = folder.PathOf("step-6"),
        });

        Assert.Equal([6, 12], checkpoints);
        Assert.Equal(TrainingOutcome.Completed, resultA.Outcome);
        Assert.Equal(12, resultA.Steps.Count);
        Assert.Equal(12, resultB.Steps.Count);
        for (var i = 6; i < 12; i++)
        {
            Assert.Equal(resultA.Steps[i].Loss, resultB.Steps[i].Loss);          // exact, not approximate
            Assert.Equal(resultA.Steps[i].GradientNorm, resultB.Steps[i].GradientNorm);
            Assert.Equal(resultA.Steps[i].LearningRate, resultB.Steps[i].LearningRate);
        }
        Assert.Equal(resultA.Evaluations.Select(e => e.Metrics[MetricNames.EvalLoss]), resultB.Evaluations.Select(e => e.Metrics[MetricNames.EvalLoss]));
        var weightsB = modelB.state_dict();
        foreach (var (name, weight) in modelA.state_dict())
            Assert.True(weight.eq(weightsB[name]).all().item<bool>(), $"{name} differs after resuming");
        // The run did train: the losses moved, and weights differ from a fresh model's.
        Assert.NotEqual(resultA.Steps[0].Loss, resultA.Steps[^1].Loss);
    }

    [Fact]
    public async Task A_run_yields_after_a_checkpoint_when_asked_and_the_slices_add_up_to_the_whole_run()
    {
        using var folder = new TempFolder();
        var (train, validation) = Data();
        var settings = Settings with { CheckpointEvery = 4 };

        using var whole = TinyModels.Create(TinyTokenizer.WithMerges, seed: 1);
        var expected = await new TrainingLoop<SftSequence>(new SftTask(whole, TinyTokenizer.Pad), settings).RunAsync(train, validation);

        // Three slices of 4 steps, each starting from a fresh model and the previous slice's checkpoint.
        string? resume = null;
        TrainingResult? slice = null;
        var outcomes = new List<TrainingOutcome>();
        for (var i = 0; i < 3; i++)
        {
            // The first slice starts like the whole run; later ones from other weights, replaced by the checkpoint's.
            using var model = TinyModels.Create(TinyTokenizer.WithMerges, seed: i == 0 ? 1 : 50 + i);
            var target = folder.PathOf($"slice-{i}");
            slice = await new TrainingLoop<SftSequence>(new SftTask(model, TinyTokenizer.Pad), settings).RunAsync(train, validation, new TrainingHooks
            {
                ResumeFrom = resume,
                CheckpointSaved = (directory, _) => { CopyDirectory(directory, target); return Task.CompletedTask; },
                ShouldYield = () => true,
            });
            outcomes.Add(slice.Outcome);
            resume = target;
        }

        Assert.Equal([TrainingOutcome.Yielded, TrainingOutcome.Yielded, TrainingOutcome.Completed], outcomes);
        Assert.Equal(expected.Steps.Select(s => s.Loss), slice!.Steps.Select(s => s.Loss));
    }

    [Fact]
    public async Task Resuming_with_other_settings_is_refused_naming_the_difference()
    {
        using var folder = new TempFolder();
        var (train, validation) = Data();
        using var model = TinyModels.Create(TinyTokenizer.WithMerges);
        await new TrainingLoop<SftSequence>(new SftTask(model, TinyTokenizer.Pad), Settings with { MaxSteps = 2, CheckpointEvery = 2 })
            .RunAsync(train, validation, new TrainingHooks { CheckpointSaved = (d, _) => { CopyDirectory(d, folder.PathOf("c")); return Task.CompletedTask; } });

        var error = await Assert.ThrowsAsync<Pipeline.Training.Checkpoints.TrainingCheckpointException>(() =>
            new TrainingLoop<SftSequence>(new SftTask(model, TinyTokenizer.Pad), Settings with { MaxSteps = 2, BatchSize = 3 })
                .RunAsync(train, validation, new TrainingHooks { ResumeFrom = folder.PathOf("c") }));
        Assert.Contains("batch_size: checkpoint 2, this run 3", error.Message);
    }

    internal static (IReadOnlyList<SftSequence> Train, IReadOnlyList<SftSequence> Validation) Data()
    {
        var encoder = new SftEncoder(TinyTokenizer.WithMerges, new ChatMlTemplate(), maxSeqLength: 64);
        return (encoder.EncodeAll(TrainingTexts.Greetings(0, 10)).Sequences, encoder.EncodeAll(TrainingTexts.Greetings(10, 2)).Sequences);
    }

    internal static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }
}
