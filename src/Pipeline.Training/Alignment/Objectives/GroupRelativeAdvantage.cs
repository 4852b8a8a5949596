using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Objectives;

/// <summary>
/// GRPO's advantage: each completion's reward relative to the other completions of the same prompt. Completions are laid
/// out group by group (prompt 0's G completions, then prompt 1's, ...).
/// </summary>
public static class GroupRelativeAdvantage
{
    /// <summary>Added to the group's standard deviation, as TRL does, so a group of equal rewards gives 0 rather than NaN.</summary>
    public const double StdEpsilon = 1e-4;

    /// <param name="rewards">(N·G) rewards.</param>
    /// <param name="groupSize">G, completions per prompt.</param>
    /// <param name="scaleByStd">(r − mean) / (std + ε) when true (GRPO); r − mean when false (Dr. GRPO).</param>
    /// <returns>(N·G) advantages, and (N) each group's standard deviation (unbiased, as torch.std).</returns>
    public static (Tensor Advantages, Tensor GroupStd) Compute(Tensor rewards, int groupSize, bool scaleByStd)
    {
        if (rewards.shape[0] % groupSize != 0)
            throw new ArgumentException($"{rewards.shape[0]} rewards do not split into groups of {groupSize}.", nameof(rewards));
        var groups = rewards.view(-1, groupSize);                                 // (N, G)
        var mean = groups.mean([1], keepdim: true);                               // (N, 1)
        var std = groups.std(1, unbiased: true, keepdim: true);                   // (N, 1)
        var advantages = groups - mean;
        if (scaleByStd) advantages = advantages / (std + StdEpsilon);
        return (advantages.reshape(-1), std.squeeze(1));
    }
}
