using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration.Training;

/// <summary>Bottleneck adapters: a small down-projection, non-linearity and up-projection on a sublayer's output, near identity at the start.</summary>
public sealed record BottleneckSettings
{
    /// <summary>
    /// Hidden size ÷ bottleneck width, default 16 (AdapterHub's default): 16 gives hidden/16-wide adapters. It must
    /// divide the model's hidden size (checked when the model is loaded).
    /// </summary>
    [Range(1, 65_536)]
    public int ReductionFactor { get; init; } = 16;

    /// <summary>houlsby (after attention and after the feed-forward, the default) or pfeiffer (after the feed-forward only: half the parameters).</summary>
    public BottleneckPlacement Placement { get; init; } = BottleneckPlacement.Houlsby;

    /// <summary>Non-linearity in the bottleneck, default relu; also swish, gelu.</summary>
    [Pattern("^(relu|swish|gelu)$", "relu, swish or gelu")]
    public string NonLinearity { get; init; } = "relu";
}
