using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Training;

/// <summary>LayerNorm tuning: only the normalization layers' weights train.</summary>
public sealed record LnTuningSettings
{
    /// <summary>Norms to tune, default empty: PEFT's defaults (input_layernorm, post_attention_layernorm, norm; GPT-2: ln_1, ln_2, ln_f).</summary>
    [DistinctItems]
    [Pattern(@"^[A-Za-z_][A-Za-z0-9_.]*$", "a module name such as input_layernorm")]
    public IReadOnlyList<string> TargetModules { get; init; } = [];
}
