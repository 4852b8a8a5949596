using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Training.Alignment.Loop;
using Pipeline.Training.Alignment.Rewards;
using Pipeline.Training.Checkpoints;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Ppo;

/// <summary>
/// PPO on the shared online alignment loop, with a value head on the policy's transformer. The head starts from the
/// reward model's score head when the run's reward includes a reward model of the same hidden size (its score of a
/// state is a fair first value estimate), else from zeros. It is saved beside the policy as value_head.safetensors.
/// </summary>
public static class PpoTrainer
{
    public const string ValueHeadFile = "value_head.safetensors";

    public static Task<OnlineAlignmentResult> TrainAsync(OnlineAlignmentJob job, PpoSettings settings, CancellationToken cancellationToken = default)
    {
        ValueHead? valueHead = null;
        return OnlineAlignmentTrainer.TrainAsync(job, settings, setup =>
        {
            var device = setup.Policy.parameters().First().device;
            var rewardModel = setup.Rewards.Sources.Select(s => s.Source).OfType<RewardModelSource>().FirstOrDefault();
            valueHead = new ValueHead(setup.Policy.Config.HiddenSize, rewardModel?.Model.ScoreHead, device);
            return new PpoOptimizer(setup.Policy, valueHead, setup.Reference(), setup.Sampler, setup.Rewards, settings, setup.PadId, setup.Seed);
        }, output => TensorFile.Write(Path.Combine(output, ValueHeadFile),
            [(ValueHead.WeightName, (Tensor)valueHead!.Weight), (ValueHead.BiasName, (Tensor)valueHead.Bias)]), cancellationToken);
    }
}
