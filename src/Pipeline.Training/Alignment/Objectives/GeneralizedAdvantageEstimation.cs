using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Objectives;

/// <summary>
/// GAE (Schulman et al. 2016) over completion tokens: δ_t = r_t + γ·V_{t+1} − V_t, A_t = δ_t + γλ·A_{t+1}, with V = 0
/// after the last real token. Returns are A + V (the value targets).
/// </summary>
public static class GeneralizedAdvantageEstimation
{
    /// <param name="rewards">(B, T) per-token rewards (KL penalty, score at the last token).</param>
    /// <param name="values">(B, T) value predictions for the state before each token.</param>
    /// <param name="mask">(B, T) 1 for completion tokens, 0 for right padding.</param>
    public static (Tensor Advantages, Tensor Returns) Estimate(Tensor rewards, Tensor values, Tensor mask, double gamma, double lambda)
    {
        // Padding carries neither reward nor value, so each row's episode ends at its last real token.
        rewards = rewards * mask;
        values = values * mask;
        var length = rewards.shape[1];
        var columns = new Tensor[length];
        Tensor? next = null;
        for (var t = length - 1; t >= 0; t--)
        {
            var nextValue = t < length - 1 ? values[.., t + 1] : zeros_like(values[.., t]);
            var delta = rewards[.., t] + gamma * nextValue - values[.., t];
            next = next is null ? delta : delta + gamma * lambda * next;
            columns[t] = next;
        }
        var advantages = stack(columns, 1);                                      // (B, T)
        return (advantages * mask, (advantages + values) * mask);
    }
}
