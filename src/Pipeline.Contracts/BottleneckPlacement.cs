namespace Pipeline.Contracts;

/// <summary>Where bottleneck adapters go in each layer (run config: houlsby, pfeiffer); shared by the configuration and the modeling library.</summary>
public enum BottleneckPlacement
{
    /// <summary>Houlsby et al. 2019: after the attention sublayer and after the feed-forward sublayer.</summary>
    Houlsby,
    /// <summary>Pfeiffer et al. 2020: after the feed-forward sublayer only (half the parameters, about the same quality).</summary>
    Pfeiffer,
}
