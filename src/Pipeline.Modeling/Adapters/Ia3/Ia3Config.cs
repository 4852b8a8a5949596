using Pipeline.Modeling.Configuration;

namespace Pipeline.Modeling.Adapters.Ia3;

/// <summary>
/// (IA)³ (Liu et al. 2022): learned vectors that rescale the keys, the values and the feed-forward's intermediate
/// activations; the base is frozen. PEFT's IA3Config: target_modules, and feedforward_modules (a subset of the
/// targets) whose vector scales the layer's input instead of its output.
/// </summary>
public sealed record Ia3Config
{
    /// <summary>Modules to rescale; null: PEFT's defaults (k_proj, v_proj, down_proj for the Llama family; c_attn, mlp.c_proj for GPT-2).</summary>
    public IReadOnlyList<string>? TargetModules { get; init; }

    /// <summary>Targets whose input is rescaled (the feed-forward output projection, so its intermediate activations); null: PEFT's defaults (down_proj; mlp.c_proj).</summary>
    public IReadOnlyList<string>? FeedforwardModules { get; init; }

    public IReadOnlyList<string> TargetsFor(ModelArchitecture architecture) =>
        TargetModules ?? (architecture == ModelArchitecture.Gpt2 ? ["c_attn", "mlp.c_proj"] : ["k_proj", "v_proj", "down_proj"]);

    public IReadOnlyList<string> FeedforwardFor(ModelArchitecture architecture) =>
        FeedforwardModules ?? (architecture == ModelArchitecture.Gpt2 ? ["mlp.c_proj"] : ["down_proj"]);

    public void Validate(ModelArchitecture architecture)
    {
        var targets = TargetsFor(architecture);
        if (targets.Count == 0)
            throw new AdapterConfigException("ia3: target_modules: must name at least one module (e.g. k_proj, v_proj, down_proj).");
        var outside = FeedforwardFor(architecture).Where(f => !targets.Contains(f)).ToList();
        if (outside.Count > 0)
            throw new AdapterConfigException($"ia3: feedforward_modules: {string.Join(", ", outside.Select(f => $"\"{f}\""))} must also be in target_modules " +
                $"({string.Join(", ", targets)}), as PEFT requires.");
    }
}
