using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Objectives;

/// <summary>Means, variances and whitening over the positions a 0/1 mask keeps (completion tokens, not padding).</summary>
public static class MaskedStatistics
{
    /// <summary>Σ(values·mask) / Σmask, a scalar.</summary>
    public static Tensor MaskedMean(Tensor values, Tensor mask) => (values * mask).sum() / mask.sum();

    /// <summary>Mean of each row over its kept positions: (B, T) → (B).</summary>
    public static Tensor MaskedRowMean(Tensor values, Tensor mask) => (values * mask).sum(1) / mask.sum(1).clamp_min(1);

    /// <summary>
    /// Variance over the kept positions, with Bessel's correction (n / (n − 1)) as TRL's masked_var: the whitened
    /// advantages then have unit sample variance.
    /// </summary>
    public static Tensor MaskedVariance(Tensor values, Tensor mask)
    {
        var centered = values - MaskedMean(values, mask);
        var variance = MaskedMean(centered * centered, mask);
        var count = mask.sum();
        return variance * count / (count - 1).clamp_min(1);
    }

    /// <summary>(values − mean) / √(variance + 1e-8) over the kept positions; padding positions come out as garbage and stay masked.</summary>
    public static Tensor MaskedWhiten(Tensor values, Tensor mask) =>
        (values - MaskedMean(values, mask)) * (MaskedVariance(values, mask) + 1e-8).rsqrt();
}
