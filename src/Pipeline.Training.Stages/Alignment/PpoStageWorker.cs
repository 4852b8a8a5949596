using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Contracts;
using Pipeline.Training.Alignment.Loop;
using Pipeline.Training.Alignment.Ppo;
using Pipeline.Training.Alignment.Rewards;

namespace Pipeline.Training.Stages.Alignment;

/// <summary>The ppo stage: PPO with a value head on the policy, against the reward model (or any reward sources).</summary>
public sealed class PpoStageWorker(IEnumerable<IRewardFunction> rewardFunctions) : OnlineAlignmentStageWorker<PpoSettings>(rewardFunctions)
{
    public override string Stage => StageNames.Ppo;

    protected override Task<OnlineAlignmentResult> TrainAsync(OnlineAlignmentJob job, PpoSettings settings, CancellationToken ct) =>
        PpoTrainer.TrainAsync(job, settings, ct);
}
