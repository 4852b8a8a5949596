using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Training.Alignment.Grpo;
using Pipeline.Training.Alignment.Loop;
using Pipeline.Training.Alignment.Rewards;

namespace Pipeline.Training.Stages.Alignment;

/// <summary>The grpo stage: group relative policy optimization, no value model.</summary>
public sealed class GrpoStageWorker(IEnumerable<IRewardFunction> rewardFunctions) : OnlineAlignmentStageWorker<GrpoSettings>(rewardFunctions)
{
    public override string Stage => StageNames.Grpo;

    protected override Task<OnlineAlignmentResult> TrainAsync(OnlineAlignmentJob job, GrpoSettings settings, CancellationToken ct) =>
        GrpoTrainer.TrainAsync(job, settings, ct);
}
