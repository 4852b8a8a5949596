using Pipeline.Contracts;
using Pipeline.Modeling.Adapters;
using Pipeline.Modeling.Adapters.Bottleneck;
using Pipeline.Modeling.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Tests.Memory;

/// <summary>One dispose scope per step: the number of live tensors on this thread does not grow with the step count.</summary>
public sealed class TensorLifetimeTests
{
    private static long LiveTensors => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    [Fact]
    public void Training_steps_leave_the_live_tensor_count_flat()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var (counts, losses) = TrainingSteps(model, learningRate: 1e-3);
        // Step 1 creates the optimizer state and the gradients; from then on nothing accumulates.
        Assert.All(counts.Skip(1), count => Assert.Equal(counts[1], count));
        Assert.True(losses[^1] < losses[0], "the steps did not train");
    }

    [Theory]
    [InlineData(FineTuningMethod.PrefixTuning)]
    [InlineData(FineTuningMethod.PTuning)]
    [InlineData(FineTuningMethod.Bottleneck)]
    [InlineData(FineTuningMethod.LnTuning)]
    [InlineData(FineTuningMethod.Ia3)]
    public void Training_steps_of_each_peft_method_leave_the_live_tensor_count_flat(FineTuningMethod method)
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var adapted = new TrainableParameterPolicy { Method = method, Seed = 1, Bottleneck = new BottleneckConfig { ReductionFactor = 4 } }.Apply(model);
        var (counts, losses) = TrainingSteps(adapted.Model, learningRate: 1e-2);
        Assert.All(counts.Skip(1), count => Assert.Equal(counts[1], count));
        Assert.True(losses[^1] < losses[0], $"{method} did not train: {string.Join(", ", losses)}");
    }

    [Theory]
    [InlineData(FineTuningMethod.PrefixTuning)]
    [InlineData(FineTuningMethod.PTuning)]
    public void Generation_with_a_prefix_or_prompt_encoder_leaves_no_tensor_behind(FineTuningMethod method)
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        var tuned = new TrainableParameterPolicy { Method = method, Seed = 1 }.Apply(model).Model;
        SequenceGenerator.Generate(tuned, [[1, 2, 3]], new GenerationOptions { MaxNewTokens = 2 });   // warm-up
        var before = LiveTensors;
        SequenceGenerator.Generate(tuned, [[1, 2, 3], [4, 5]], new GenerationOptions { MaxNewTokens = 10, DoSample = true, Seed = 5 });
        Assert.Equal(before, LiveTensors);
    }

    /// <summary>20 AdamW steps on the trainable parameters, one dispose scope each: the live tensor count and loss after each.</summary>
    internal static (List<long> LiveCounts, List<float> Losses) TrainingSteps(CausalLanguageModel model, double learningRate)
    {
        using var optimizer = optim.AdamW(model.parameters().Where(p => p.requires_grad), lr: learningRate);
        var ids = TinyModels.Ids(TinyModels.RandomIds(8, 41), TinyModels.RandomIds(8, 42));
        var counts = new List<long>();
        var losses = new List<float>();
        for (var step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Forward(ids, labels: ids).Loss!;
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
            scope.Dispose();
            counts.Add(LiveTensors);
        }
        return (counts, losses);
    }

    [Fact]
    public void Generation_steps_with_a_cache_leave_the_live_tensor_count_flat()
    {
        using var model = TinyModels.Create(TinyModels.Gpt2());
        using var cache = model.CreateCache();
        using var _ = no_grad();
        var counts = new List<long>();
        var next = TinyModels.Ids(TinyModels.RandomIds(4, 43));
        for (var step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            var logits = model.Forward(next, cache: cache).Logits;                 // (1, T, V)
            next.Dispose();
            next = logits[.., ^1, ..].argmax(-1, keepdim: true).DetachFromDisposeScope();   // (1, 1)
            scope.Dispose();
            counts.Add(LiveTensors);
        }
        next.Dispose();
        Assert.Equal(4 + 19, cache.Length);                                       // the last chosen token is never fed
        // The cache replaces its tensors every step: the count is the same after step 1 and step 20.
        Assert.All(counts, count => Assert.Equal(counts[0], count));
    }

    [Fact]
    public void Generate_leaves_no_tensor_behind()
    {
        using var model = TinyModels.Create(TinyModels.Llama());
        SequenceGenerator.Generate(model, [[1, 2, 3]], new GenerationOptions { MaxNewTokens = 2 });   // warm-up
        var before = LiveTensors;
        SequenceGenerator.Generate(model, [[1, 2, 3], [4, 5]], new GenerationOptions { MaxNewTokens = 20, DoSample = true, Seed = 5 });
        Assert.Equal(before, LiveTensors);
    }
}
