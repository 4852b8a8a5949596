using Pipeline.Modeling.Configuration;

namespace Pipeline.Modeling.Adapters.LnTuning;

/// <summary>LayerNorm tuning (Zhao et al. 2023): only the normalization layers' weights (and biases) train. PEFT's LNTuningConfig.</summary>
public sealed record LnTuningConfig
{
    /// <summary>Norms to tune; null: PEFT's defaults (input_layernorm, post_attention_layernorm, norm; GPT-2: ln_1, ln_2, ln_f).</summary>
    public IReadOnlyList<string>? TargetModules { get; init; }

    public IReadOnlyList<string> TargetsFor(ModelArchitecture architecture) =>
        TargetModules ?? (architecture == ModelArchitecture.Gpt2 ? ["ln_1", "ln_2", "ln_f"] : ["input_layernorm", "post_attention_layernorm", "norm"]);
}
