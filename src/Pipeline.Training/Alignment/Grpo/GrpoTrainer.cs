using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Training.Alignment.Loop;

namespace Pipeline.Training.Alignment.Grpo;

/// <summary>GRPO on the shared online alignment loop; with beta 0 no reference model is loaded.</summary>
public static class GrpoTrainer
{
    public static Task<OnlineAlignmentResult> TrainAsync(OnlineAlignmentJob job, GrpoSettings settings, CancellationToken cancellationToken = default) =>
        OnlineAlignmentTrainer.TrainAsync(job, settings, setup => new GrpoOptimizer(setup.Policy, settings.Beta > 0 ? setup.Reference() : null,
            setup.Sampler, setup.Rewards, settings, setup.PadId, setup.Seed), cancellationToken: cancellationToken);
}
