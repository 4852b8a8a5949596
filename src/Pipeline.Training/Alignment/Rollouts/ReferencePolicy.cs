using Pipeline.Modeling;
using Pipeline.Modeling.Adapters;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Rollouts;

/// <summary>
/// The frozen policy the KL is measured against. With full fine-tuning it is a second, frozen copy of the starting
/// model; with LoRA it is the policy itself with its adapters switched off, so only one copy of the base is in memory.
/// </summary>
public sealed class ReferencePolicy
{
    private readonly CausalLanguageModel model;
    private readonly bool disableAdapters;

    private ReferencePolicy(CausalLanguageModel model, bool disableAdapters) => (this.model, this.disableAdapters) = (model, disableAdapters);

    /// <summary>A separate frozen model (its parameters get requires_grad = false).</summary>
    public static ReferencePolicy Frozen(CausalLanguageModel model)
    {
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        model.eval();
        return new ReferencePolicy(model, false);
    }

    /// <summary>The LoRA policy with its adapters off: the base weights it started from.</summary>
    public static ReferencePolicy AdaptersDisabled(CausalLanguageModel policy) => new(policy, true);

    /// <summary>Whether this reference shares the policy's weights (no second copy).</summary>
    public bool SharesPolicyWeights => disableAdapters;

    /// <summary>(B, C) log-probabilities of the completion tokens, without gradients.</summary>
    public Tensor LogProbabilities(PolicySequences sequences, double temperature)
    {
        using var noGrad = no_grad();
        var wasTraining = model.training;
        model.eval();
        try
        {
            using (disableAdapters ? AdapterLayers.Disable(model) : null)
                return sequences.Forward(model, temperature).LogProbabilities;
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
