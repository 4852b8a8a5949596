using Pipeline.Configuration;
using Pipeline.Configuration.Training;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Objectives;

/// <summary>
/// Per-token estimates of KL(π ‖ π_ref) from tokens sampled from π, with log r = log π_ref − log π
/// (Schulman, "Approximating KL divergence").
/// </summary>
public static class KlPenalty
{
    /// <summary>k1 = −log r = log π − log π_ref: unbiased, can be negative.</summary>
    public static Tensor K1(Tensor logProbabilities, Tensor referenceLogProbabilities) => logProbabilities - referenceLogProbabilities;

    /// <summary>k3 = (r − 1) − log r: unbiased, never negative, lower variance (GRPO's KL term).</summary>
    public static Tensor K3(Tensor logProbabilities, Tensor referenceLogProbabilities)
    {
        var logRatio = referenceLogProbabilities - logProbabilities;
        return logRatio.exp() - 1 - logRatio;
    }

    public static Tensor Estimate(KlEstimator estimator, Tensor logProbabilities, Tensor referenceLogProbabilities) => estimator switch
    {
        KlEstimator.K3 => K3(logProbabilities, referenceLogProbabilities),
        _ => K1(logProbabilities, referenceLogProbabilities),
    };
}
