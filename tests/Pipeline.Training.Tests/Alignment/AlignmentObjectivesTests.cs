using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using Pipeline.Training.Alignment.Objectives;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests.Alignment;

/// <summary>The pure math of PPO, GRPO and DPO against values worked out by hand (in the comments).</summary>
public sealed class AlignmentObjectivesTests
{
    private static Tensor T(params float[] values) => tensor(values);
    private static Tensor T2(float[,] values) => tensor(values);
    private static void Near(double expected, double actual, double tolerance = 1e-5) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}, got {actual}");
    private static void Near(double[] expected, Tensor actual, double tolerance = 1e-5)
    {
        var values = actual.to(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++) Near(expected[i], values[i], tolerance);
    }

    [Fact]
    public void Gae_on_a_four_token_episode_with_the_score_at_the_end()
    {
        // γ = 1, λ = 0.95, rewards [0, 0, 0, 1], values [0.1, 0.2, 0.3, 0.4]:
        // δ3 = 1 − 0.4 = 0.6            A3 = 0.6
        // δ2 = 0.4 − 0.3 = 0.1          A2 = 0.1 + 0.95·0.6 = 0.67
        // δ1 = 0.3 − 0.2 = 0.1          A1 = 0.1 + 0.95·0.67 = 0.7365
        // δ0 = 0.2 − 0.1 = 0.1          A0 = 0.1 + 0.95·0.7365 = 0.799675
        // returns = A + V
        var (advantages, returns) = GeneralizedAdvantageEstimation.Estimate(
            T2(new float[,] { { 0, 0, 0, 1 } }), T2(new float[,] { { 0.1f, 0.2f, 0.3f, 0.4f } }), T2(new float[,] { { 1, 1, 1, 1 } }), 1.0, 0.95);
        Near([0.799675, 0.7365, 0.67, 0.6], advantages);
        Near([0.899675, 0.9365, 0.97, 1.0], returns);
    }

    [Fact]
    public void Gae_ends_each_episode_at_its_last_real_token_and_discounts_with_gamma()
    {
        // Row 2 has 2 real tokens then padding (whose reward and value must not leak in). γ = 0.5, λ = 1:
        // δ1 = 2 − 1 = 1 (no next value), A1 = 1;  δ0 = 0 + 0.5·1 − 1 = −0.5, A0 = −0.5 + 0.5·1 = 0
        var (advantages, _) = GeneralizedAdvantageEstimation.Estimate(
            T2(new float[,] { { 0, 2, 9 } }), T2(new float[,] { { 1, 1, 7 } }), T2(new float[,] { { 1, 1, 0 } }), 0.5, 1.0);
        Near([0, 1, 0], advantages);
    }

    [Fact]
    public void Whitening_gives_zero_mean_and_unit_sample_variance_over_the_mask()
    {
        // kept values 1, 2, 3: mean 2, sample variance 1 → −1, 0, 1 (the masked 100 is ignored)
        var whitened = MaskedStatistics.MaskedWhiten(T(1, 2, 3, 100), T(1, 1, 1, 0));
        Near([-1, 0, 1], whitened[..3], 1e-4);
        Near(2.0, MaskedStatistics.MaskedMean(T(1, 2, 3, 100), T(1, 1, 1, 0)).item<float>());
        Near(1.0, MaskedStatistics.MaskedVariance(T(1, 2, 3, 100), T(1, 1, 1, 0)).item<float>());
    }

    [Fact]
    public void K1_and_k3_estimators()
    {
        // log π = −1, log π_ref = −2: k1 = 1; log r = −1, k3 = e^−1 − 1 + 1 = 0.367879
        // log π = −2, log π_ref = −1: k1 = −1; log r = 1, k3 = e − 1 − 1 = 0.718282
        Near([1, -1], KlPenalty.K1(T(-1, -2), T(-2, -1)));
        Near([0.367879, 0.718282], KlPenalty.K3(T(-1, -2), T(-2, -1)));
        Near([0.367879, 0.718282], KlPenalty.Estimate(KlEstimator.K3, T(-1, -2), T(-2, -1)));
    }

    [Fact]
    public void Clipped_policy_loss_takes_the_pessimistic_term()
    {
        // ratio e^0.5 = 1.648721 with A = 1: unclipped −1.648721, clipped −1.2 → loss −1.2 (clipped taken)
        // ratio e^−0.5 = 0.606531 with A = 1: unclipped −0.606531, clipped −0.8 → loss −0.606531 (not clipped)
        // ratio e^0.5 with A = −1: unclipped 1.648721, clipped 1.2 → loss 1.648721 (not clipped)
        var (loss, clipped, approxKl) = PolicyLoss.ClippedSurrogate(T(0.5f, -0.5f, 0.5f), T(0, 0, 0), T(1, 1, -1), 0.2, 0.2);
        Near([-1.2, -0.606531, 1.648721], loss);
        Near([1, 0, 0], clipped);
        Near([0.125, 0.125, 0.125], approxKl);
    }

    [Fact]
    public void Asymmetric_clipping_raises_only_the_upper_bound()
    {
        // ratio 1.648721, A = 1, ε_high = 0.28: clipped −1.28
        var (loss, _, _) = PolicyLoss.ClippedSurrogate(T(0.5f), T(0), T(1), 0.2, 0.28);
        Near([-1.28], loss);
    }

    [Fact]
    public void Clipped_value_loss()
    {
        // V = 2, V_old = 1, R = 3, c = 0.2: unclipped (2 − 3)² = 1, clipped (1.2 − 3)² = 3.24 → ½·3.24 = 1.62, clipped
        // V = 1.1, V_old = 1, R = 0: unclipped 1.21, clipped (1.1)² = 1.21 → 0.605, not clipped
        var (loss, clipped) = ValueLoss.Clipped(T(2, 1.1f), T(1, 1), T(3, 0), 0.2);
        Near([1.62, 0.605], loss);
        Near([1, 0], clipped);
    }

    [Fact]
    public void Group_relative_advantage_with_and_without_std_scaling()
    {
        // group [1, 2, 3, 6]: mean 3, unbiased std √(14/3) = 2.160247 → (r − 3) / (2.160247 + 1e-4)
        // group [5, 5, 5, 5]: every advantage 0, std 0
        var (scaled, std) = GroupRelativeAdvantage.Compute(T(1, 2, 3, 6, 5, 5, 5, 5), 4, scaleByStd: true);
        var s = 2.160247 + 1e-4;
        Near([-2 / s, -1 / s, 0, 3 / s, 0, 0, 0, 0], scaled);
        Near([2.160247, 0], std);
        var (centred, _) = GroupRelativeAdvantage.Compute(T(1, 2, 3, 6), 4, scaleByStd: false);
        Near([-2, -1, 0, 3], centred);
    }

    [Fact]
    public void Dpo_losses_on_a_hand_computed_margin()
    {
        // log π(y_w) = −1, log π_ref(y_w) = −2, log π(y_l) = −3, log π_ref(y_l) = −2: h = 1 − (−1) = 2, β = 0.5
        // sigmoid: −log σ(1) = 0.313262; with ε = 0.1: 0.9·0.313262 + 0.1·(−log σ(−1) = 1.313262) = 0.413262
        // ipo: (2 − 1/(2·0.5))² = 1;  hinge: max(0, 1 − 1) = 0
        // implicit rewards: β(−1 + 2) = 0.5 and β(−3 + 2) = −0.5
        Tensor Loss(DpoLoss kind, double smoothing) => DpoObjective.Compute(T(-1), T(-3), T(-2), T(-2), 0.5, kind, smoothing).Loss;
        Near([0.313262], Loss(DpoLoss.Sigmoid, 0));
        Near([0.413262], Loss(DpoLoss.Sigmoid, 0.1));
        Near([1.0], Loss(DpoLoss.Ipo, 0));
        Near([0.0], Loss(DpoLoss.Hinge, 0));
        var (_, chosen, rejected) = DpoObjective.Compute(T(-1), T(-3), T(-2), T(-2), 0.5, DpoLoss.Sigmoid, 0);
        Near([0.5], chosen);
        Near([-0.5], rejected);
    }

    [Fact]
    public void Adaptive_kl_controller_moves_toward_the_target_and_fixed_does_not()
    {
        // KL 9 vs target 6: e = clip(0.5) = 0.2, β = 0.05·(1 + 0.2·16/10000) = 0.050016
        // KL 3 vs target 6: e = −0.5 → −0.2, β = 0.05·(1 − 0.2·16/10000) = 0.049984
        var adaptive = new AdaptiveKlController(0.05, true, 6, 10_000);
        Near(0.050016, adaptive.Update(9, 16).Value, 1e-12);
        Near(0.049984, adaptive.Update(3, 16).Value, 1e-12);
        Assert.Equal(0.05, new AdaptiveKlController(0.05, false, 6, 10_000).Update(9, 16).Value);
    }

    [Fact]
    public void Pearson_correlation()
    {
        Near(1.0, PearsonCorrelation.Of([1, 2, 3], [2, 4, 6]), 1e-12);
        Near(-1.0, PearsonCorrelation.Of([1, 2, 3], [3, 2, 1]), 1e-12);
        Assert.Equal(0.0, PearsonCorrelation.Of([1, 1, 1], [1, 2, 3]));
        // x [1,2,3,4], y [1,3,2,4]: Sxy = 4, Sxx = Syy = 5 → 0.8
        Near(0.8, PearsonCorrelation.Of([1, 2, 3, 4], [1, 3, 2, 4]), 1e-12);
    }
}
