using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Training.FineTuning;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;
using Pipeline.Training.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Loop;

public sealed class TensorLifetimeTests
{
    private static long LiveTensors => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    [Fact]
    public async Task Training_and_evaluation_leave_the_live_tensor_count_flat()
    {
        var (train, validation) = ExactResumeTests.Data();
        using var model = TinyModels.Create(TinyTokenizer.WithMerges);
        var counts = new List<long>();
        // No checkpoint hook: the loop never awaits, so every step runs on this thread and its statistics.
        await new TrainingLoop<SftSequence>(new SftTask(model, TinyTokenizer.Pad),
            new SftSettings { Seed = 3, MaxSteps = 12, BatchSize = 2, GradientAccumulationSteps = 2, LearningRate = 1e-3, EvalEvery = 3 })
            .RunAsync(train, validation, new TrainingHooks { Progress = _ => counts.Add(LiveTensors) });

        Assert.Equal(12, counts.Count);
        // Step 1 creates the gradients; from then on nothing accumulates.
        Assert.All(counts.Skip(1), count => Assert.Equal(counts[1], count));
    }

    [Theory]
    [InlineData(FineTuningMethod.PrefixTuning)]
    [InlineData(FineTuningMethod.PTuning)]
    [InlineData(FineTuningMethod.Bottleneck)]
    [InlineData(FineTuningMethod.LnTuning)]
    [InlineData(FineTuningMethod.Ia3)]
    public async Task Each_peft_method_leaves_the_live_tensor_count_flat(FineTuningMethod method)
    {
        var (train, validation) = ExactResumeTests.Data();
        using var model = TinyModels.Create(TinyTokenizer.WithMerges);
        var settings = new SftSettings { Seed = 3, MaxSteps = 8, BatchSize = 2, LearningRate = 1e-3, EvalEvery = 3, Method = method,
            Bottleneck = new BottleneckSettings { ReductionFactor = 4 } };
        var adapted = FineTuningPolicies.For(settings, model.Config.Architecture, ScalarType.Float32, 3).Apply(model);
        var counts = new List<long>();
        await new TrainingLoop<SftSequence>(new SftTask(adapted.Model, TinyTokenizer.Pad), settings)
            .RunAsync(train, validation, new TrainingHooks { Progress = _ => counts.Add(LiveTensors) });

        Assert.Equal(8, counts.Count);
        Assert.All(counts.Skip(1), count => Assert.Equal(counts[1], count));
    }
}
