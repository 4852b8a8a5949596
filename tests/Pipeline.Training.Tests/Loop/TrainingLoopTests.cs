using Pipeline.Configuration;
using Pipeline.Contracts;
using Pipeline.Data;
using ChatMlTemplate = Pipeline.Tokenizers.ChatTemplates.ChatMlTemplate;
using Pipeline.Training.Loop;
using Pipeline.Training.Sft;
using Pipeline.Training.Tests.Support;
using Pipeline.Configuration.Training;

namespace Pipeline.Training.Tests.Loop;

public sealed class TrainingLoopTests
{
    private static readonly float[] Inputs = [1, 2, 3, 4, 5, 6, 7, 8];

    [Fact]
    public async Task Early_stopping_ends_the_run_after_patience_evaluations_without_improvement_and_checkpoints_there()
    {
        var task = new ScriptedTask([1.0, 0.9, 0.95, 0.97, 0.5, 0.4]);
        var checkpoints = new List<int>();
        var result = await new TrainingLoop<float>(task, new SftSettings { Seed = 1, MaxSteps = 6, BatchSize = 2, EvalEvery = 1, EarlyStoppingPatience = 2, CheckpointEvery = 100 })
            .RunAsync(Inputs, Inputs[..2], new TrainingHooks { CheckpointSaved = (_, step) => { checkpoints.Add(step); return Task.CompletedTask; } });

        Assert.Equal(TrainingOutcome.EarlyStopped, result.Outcome);
        Assert.Equal(4, result.Step);                         // best 0.9 at step 2; 0.95 and 0.97 exhaust patience 2
        Assert.Equal([4], checkpoints);
        Assert.Equal([1.0, 0.9, 0.95, 0.97], result.Evaluations.Select(e => e.Metrics[MetricNames.EvalLoss]));
    }

    [Fact]
    public async Task Checkpoints_come_every_n_steps_and_at_the_end()
    {
        var checkpoints = new List<(int Step, bool Complete)>();
        // 8 examples in micro-batches of 3 (3, 3, 2) with 2 per step: 2 steps per epoch, so 4 epochs make 8 steps.
        var result = await new TrainingLoop<float>(new ScriptedTask([]), new SftSettings { Seed = 1, Epochs = 4, BatchSize = 3, GradientAccumulationSteps = 2, CheckpointEvery = 3 })
            .RunAsync(Inputs, [], new TrainingHooks
            {
                CheckpointSaved = (directory, step) =>
                {
                    checkpoints.Add((step, File.Exists(Path.Combine(directory, Pipeline.Training.Checkpoints.TrainingCheckpoint.StateFile))));
                    return Task.CompletedTask;
                },
            });
        Assert.Equal(8, result.TotalSteps);
        Assert.Equal([(3, true), (6, true), (8, true)], checkpoints);
        Assert.Equal([6, 2, 6, 2, 6, 2, 6, 2], result.Steps.Select(s => (int)s.Tokens));   // a step never spans two epochs
    }

    [Fact]
    public async Task The_learning_rate_follows_the_schedule_and_the_regression_converges()
    {
        var result = await new TrainingLoop<float>(new ScriptedTask([]), new SftSettings
        {
            Seed = 1, MaxSteps = 40, BatchSize = 8, LearningRate = 0.3, WarmupRatio = 0.1, LrScheduler = LearningRateScheduler.Linear, MaxGradNorm = 0,
        }).RunAsync(Inputs, []);

        Assert.Equal([0.0, 0.075, 0.15, 0.225, 0.3], result.Steps.Take(5).Select(s => s.LearningRate), new ToleranceComparer(1e-12));
        Assert.Equal(0.3 * 4 / 36, result.Steps[^4].LearningRate, 12);     // step index 36: (40 − 36) / 36 of the peak
        Assert.True(result.Steps[^1].Loss < 1e-2 * result.Steps[0].Loss, $"loss went from {result.Steps[0].Loss} to {result.Steps[^1].Loss}");
    }

    [Fact]
    public async Task Accumulated_micro_batches_give_the_gradient_of_one_large_batch_weighted_by_tokens()
    {
        // Replies of very different lengths, so a per-micro-batch mean would weight tokens differently.
        var examples = new[] { "ok", "Hello there, how are you doing today, my friend?", "no", "A much longer reply, with many more tokens than the others." }
            .Select((reply, i) => new Example { Id = $"e{i}", Messages = [new ChatMessage("user", "Hi."), new ChatMessage("assistant", reply)] }).ToList();
        var sequences = new SftEncoder(TinyTokenizer.WithMerges, new ChatMlTemplate(), 128).EncodeAll(examples).Sequences;

        async Task<StepRecord> FirstStep(int batchSize, int accumulation)
        {
            using var model = TinyModels.Create(TinyTokenizer.WithMerges, seed: 2);
            var result = await new TrainingLoop<SftSequence>(new SftTask(model, TinyTokenizer.Pad),
                new SftSettings { Seed = 5, MaxSteps = 1, BatchSize = batchSize, GradientAccumulationSteps = accumulation }).RunAsync(sequences, []);
            return result.Steps[0];
        }

        var whole = await FirstStep(4, 1);
        var accumulated = await FirstStep(1, 4);
        Assert.Equal(whole.Loss, accumulated.Loss, 5);
        Assert.Equal(whole.GradientNorm, accumulated.GradientNorm, 4);
        Assert.Equal(whole.Tokens, accumulated.Tokens);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
