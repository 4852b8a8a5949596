using Pipeline.Contracts;

namespace Pipeline.Modeling.Adapters.Bottleneck;

/// <summary>
/// Bottleneck adapters: z + up(f(down(z))) on a sublayer's output z before the residual add, down (hidden → hidden /
/// reduction_factor), up back; the base is frozen. Names follow AdapterHub (reduction_factor, non_linearity,
/// mh_adapter, output_adapter, adapter_down, adapter_up).
/// </summary>
public sealed record BottleneckConfig
{
    /// <summary>Non-linearities between the projections.</summary>
    public static readonly IReadOnlyList<string> NonLinearities = ["relu", "swish", "gelu"];

    /// <summary>reduction_factor = 16: the bottleneck is hidden / 16 wide (AdapterHub's default for both placements).</summary>
    public int ReductionFactor { get; init; } = 16;

    public BottleneckPlacement Placement { get; init; } = BottleneckPlacement.Houlsby;

    /// <summary>non_linearity = relu (Pfeiffer's; Houlsby used swish in AdapterHub's config).</summary>
    public string NonLinearity { get; init; } = "relu";

    /// <summary>An adapter after attention (Houlsby only).</summary>
    public bool AfterAttention => Placement == BottleneckPlacement.Houlsby;

    /// <summary>Checks the settings against the model's hidden size: the reduction factor must divide it.</summary>
    public void Validate(int hiddenSize)
    {
        if (!Enum.IsDefined(Placement))
            throw new AdapterConfigException($"bottleneck: placement: {(int)Placement} is not supported; allowed: houlsby, pfeiffer.");
        if (!NonLinearities.Contains(NonLinearity))
            throw new AdapterConfigException($"bottleneck: non_linearity: \"{NonLinearity}\" is not supported; allowed: {string.Join(", ", NonLinearities)}.");
        if (ReductionFactor < 1 || hiddenSize % ReductionFactor != 0)
        {
            var divisors = Enumerable.Range(1, hiddenSize).Where(d => hiddenSize % d == 0);
            throw new AdapterConfigException($"bottleneck: reduction_factor: {ReductionFactor} does not divide the model's hidden size {hiddenSize}; " +
                $"allowed: {string.Join(", ", divisors)}.");
        }
    }
}
