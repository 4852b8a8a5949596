using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Safetensors;
using Pipeline.Training.Checkpoints;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;
using Pipeline.Training.Tests.Loop;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Checkpoints;

public sealed class TrainingCheckpointTests
{
    private static readonly SftSettings Settings = new() { Seed = 1, MaxSteps = 3, BatchSize = 2, CheckpointEvery = 3, EvalEvery = 3 };

    [Fact]
    public async Task A_checkpoint_names_every_tensor_and_records_position_and_history()
    {
        using var folder = new TempFolder();
        var (train, validation) = ExactResumeTests.Data();
        using var model = TinyModels.Create(TinyTokenizer.WithMerges);
        await new TrainingLoop<SftSequence>(new SftTask(model, TinyTokenizer.Pad), Settings).RunAsync(train, validation,
            new TrainingHooks { CheckpointSaved = (d, _) => { ExactResumeTests.CopyDirectory(d, folder.Path); return Task.CompletedTask; } });

        var parameterNames = model.named_parameters().Select(p => p.name).ToList();
        using (var weights = SafetensorsFile.Open(Path.Combine(folder.Path, TrainingCheckpoint.TrainableFile)))
            Assert.Equal(parameterNames.Order(), weights.Tensors.Select(t => t.Name).Order());
        using (var optimizer = SafetensorsFile.Open(Path.Combine(folder.Path, TrainingCheckpoint.OptimizerFile)))
        {
            Assert.Equal(3 * parameterNames.Count, optimizer.Tensors.Count);
            var step = optimizer.GetBytes("model.norm.weight.step");
            Assert.Equal(3L, BitConverter.ToInt64(step));                        // AdamW's per-parameter step count
        }

        var state = TrainingCheckpoint.ReadState(folder.Path);
        Assert.Equal(3, state.Step);
        Assert.Equal((0, 3), (state.Epoch, state.MicroBatch));                  // 10 examples: micro-batches 0, 1, 2 of epoch 0 done
        Assert.Equal(3, state.Steps.Count);
        Assert.Single(state.Evaluations);
        Assert.Equal(10, state.TrainExamples);
    }

    [Fact]
    public async Task A_checkpoint_of_other_trainable_parameters_is_refused_naming_them()
    {
        using var folder = new TempFolder();
        var (train, validation) = ExactResumeTests.Data();
        using var model = TinyModels.Create(TinyTokenizer.WithMerges);
        await new TrainingLoop<SftSequence>(new SftTask(model, TinyTokenizer.Pad), Settings).RunAsync(train, validation,
            new TrainingHooks { CheckpointSaved = (d, _) => { ExactResumeTests.CopyDirectory(d, folder.Path); return Task.CompletedTask; } });

        using var twoLayers = TinyModels.Create(TinyTokenizer.WithMerges, layers: 2);
        var error = await Assert.ThrowsAsync<TrainingCheckpointException>(() =>
            new TrainingLoop<SftSequence>(new SftTask(twoLayers, TinyTokenizer.Pad), Settings).RunAsync(train, validation, new TrainingHooks { ResumeFrom = folder.Path }));
        Assert.Contains("missing tensor 'model.layers.1.self_attn.q_proj.weight'", error.Message);
    }

    [Fact]
    public void A_folder_without_trainer_state_is_not_a_checkpoint()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<TrainingCheckpointException>(() => TrainingCheckpoint.ReadState(folder.Path));
        Assert.Contains("trainer_state.json is missing", error.Message);
    }
}
