using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Reward;

/// <summary>The Bradley–Terry preference loss of reward models, with Llama 2's margin and TRL's reward centring.</summary>
public static class PairwiseLoss
{
    /// <summary>
    /// Per pair: −log σ(r_chosen − r_rejected − margin) + centerCoefficient · (r_chosen + r_rejected)². The mean
    /// over pairs is TRL's RewardTrainer loss (center_rewards_coefficient adds the mean of the squared sums).
    /// </summary>
    /// <param name="chosen">(N) rewards of the preferred replies</param>
    /// <param name="rejected">(N) rewards of the dispreferred replies</param>
    /// <returns>(N) float32</returns>
    public static Tensor PerPair(Tensor chosen, Tensor rejected, double margin = 0, double centerCoefficient = 0)
    {
        var c = chosen.to(ScalarType.Float32);
        var r = rejected.to(ScalarType.Float32);
        var loss = -nn.functional.logsigmoid(c - r - margin);
        return centerCoefficient == 0 ? loss : loss + centerCoefficient * (c + r).square();
    }
}
