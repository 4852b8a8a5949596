using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Objectives;

/// <summary>
/// PPO's clipped value loss per token: ½·max((V − R)², (V_old + clip(V − V_old, −c, c) − R)²), so one update cannot move
/// a value prediction further than c from the rollout's.
/// </summary>
public static class ValueLoss
{
    /// <returns>Per-token loss (B, T) and per-token 1/0 where the clipped term was the larger.</returns>
    public static (Tensor Loss, Tensor Clipped) Clipped(Tensor values, Tensor oldValues, Tensor returns, double clipRange)
    {
        var clippedValues = oldValues + (values - oldValues).clamp(-clipRange, clipRange);
        var unclippedLoss = (values - returns).square();
        var clippedLoss = (clippedValues - returns).square();
        return (0.5 * maximum(unclippedLoss, clippedLoss), clippedLoss.gt(unclippedLoss).to(values.dtype));
    }
}
