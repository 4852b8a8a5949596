using Pipeline.Modeling.Checkpoints;
using Pipeline.Training.Alignment.Grpo;
using Pipeline.Training.Alignment.Loop;
using Pipeline.Training.Loop;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Alignment;

[Collection(GlobalRandomState.Name)]
public sealed class KlBudgetTests
{
    [Fact]
    public async Task A_step_over_max_kl_stops_the_run_on_the_last_weights_under_the_budget()
    {
        using var folder = new TempFolder();
        // Step 1's KL is 0 (the policy is still the reference); after its update step 2 drifts past any positive budget.
        var settings = AlignmentResumeTests.Grpo() with { MaxKl = 1e-9, CheckpointEvery = 100, MaxSteps = 4, NumIterations = 1, WarmupRatio = 0 };
        var result = await GrpoTrainer.TrainAsync(AlignmentResumeTests.Job(TinyModels.Create(TinyTokenizer.WithMerges, seed: 7), folder.PathOf("out"), new TrainingHooks()), settings);

        Assert.Equal(AlignmentOutcome.StoppedOnKlBudget, result.Run.Outcome);
        Assert.Equal(2, result.Run.Step);
        Assert.StartsWith("stopped at step 2: objective/kl", result.Run.StopReason);
        Assert.Equal(1, result.Metrics["stopped_on_kl_budget"]);
        Assert.True(result.Run.History[1]["objective/kl"] > 0);

        // No checkpoint was written before the breach, so the weights kept are the starting ones.
        using var start = TinyModels.Create(TinyTokenizer.WithMerges, seed: 7);
        CausalLmLoader.Save(start, folder.PathOf("start"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder.PathOf("start"), "model.safetensors")), File.ReadAllBytes(Path.Combine(result.OutputDirectory!, "model.safetensors")));
    }
}
