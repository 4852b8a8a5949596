namespace Pipeline.Modeling.Adapters;

/// <summary>
/// A layer that wraps part of the base model with an adapter (LoRA, (IA)³, a bottleneck adapter, a LayerNorm-tuning
/// copy) and can compute without it: the reference policy of PPO/GRPO/DPO is the same module with its adapters off,
/// so the base is in memory once.
/// </summary>
public interface IAdapterLayer
{
    /// <summary>Whether forward applies the adapter (true by default); off, the layer computes what its base computes.</summary>
    bool AdapterEnabled { get; set; }
}
