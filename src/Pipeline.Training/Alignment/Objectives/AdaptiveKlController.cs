namespace Pipeline.Training.Alignment.Objectives;

/// <summary>
/// The KL coefficient β of PPO's per-token penalty. Fixed, or adaptive (Ziegler et al. 2019): after each batch,
/// e = clip(KL / target − 1, −0.2, 0.2) and β ← β·(1 + e·n / horizon), so β rises while the policy drifts past the
/// target and falls while it stays under. A value type: its one number is checkpointed for exact resume.
/// </summary>
public readonly record struct AdaptiveKlController(double Value, bool Adaptive, double Target, int Horizon)
{
    /// <param name="observedKl">Mean KL per completion of this batch (nats).</param>
    /// <param name="sequences">Completions in the batch (n).</param>
    public AdaptiveKlController Update(double observedKl, int sequences)
    {
        if (!Adaptive) return this;
        var error = Math.Clamp(observedKl / Target - 1, -0.2, 0.2);
        return this with { Value = Value * (1 + error * sequences / Horizon) };
    }
}
