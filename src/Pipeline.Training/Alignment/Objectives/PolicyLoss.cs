using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Objectives;

/// <summary>
/// PPO's clipped surrogate per token: max(−A·ρ, −A·clip(ρ, 1 − ε_low, 1 + ε_high)) with ρ = π/π_old. Equal ε gives
/// PPO; a larger ε_high is DAPO's clip-higher. The caller aggregates over tokens (masked sum / token count).
/// </summary>
public static class PolicyLoss
{
    /// <param name="logProbabilities">(B, T) log π of the sampled tokens, with gradients.</param>
    /// <param name="oldLogProbabilities">(B, T) log π_old from the rollout.</param>
    /// <param name="advantages">(B, T), or (B, 1) to broadcast one advantage per sequence (GRPO).</param>
    /// <returns>Per-token loss (B, T); per-token 1/0 where the clipped term was the one taken; per-token ½(log ρ)².</returns>
    public static (Tensor Loss, Tensor Clipped, Tensor ApproxKl) ClippedSurrogate(
        Tensor logProbabilities, Tensor oldLogProbabilities, Tensor advantages, double epsilonLow, double epsilonHigh)
    {
        var logRatio = logProbabilities - oldLogProbabilities;
        var ratio = logRatio.exp();
        var unclipped = -advantages * ratio;
        var clipped = -advantages * ratio.clamp(1 - epsilonLow, 1 + epsilonHigh);
        var loss = maximum(unclipped, clipped);
        return (loss, clipped.gt(unclipped).to(loss.dtype), 0.5 * logRatio * logRatio);
    }
}
