using Pipeline.Modeling.Configuration;

namespace Pipeline.Modeling.Adapters.Lora;

/// <summary>
/// LoRA hyperparameters (Hu et al. 2021) with PEFT's names and defaults. W x becomes W x + scale · B A x with
/// A (r, in) and B (out, r); only A and B train.
/// </summary>
public sealed record LoraConfig
{
    /// <summary>target_modules value meaning every linear layer except the output head, as in PEFT.</summary>
    public const string AllLinear = "all-linear";

    /// <summary>Bias modes, as PEFT spells them.</summary>
    public const string BiasNone = "none", BiasAll = "all", BiasLoraOnly = "lora_only";

    /// <summary>Rank of the update (r = 8): capacity of the adapter; parameters grow linearly with it.</summary>
    public int R { get; init; } = 8;

    /// <summary>lora_alpha = 16: the update is scaled by alpha / r, so changing r does not change the step size much.</summary>
    public double Alpha { get; init; } = 16;

    /// <summary>lora_dropout = 0.05: dropout on the adapter's input only (the base path is untouched).</summary>
    public double Dropout { get; init; } = 0.05;

    /// <summary>
    /// Module names to adapt, matched as PEFT does (the full dotted name equals it or ends with "." + it),
    /// or [<see cref="AllLinear"/>]. Null: PEFT's default for the architecture (q_proj, v_proj for the Llama
    /// family; c_attn for GPT-2).
    /// </summary>
    public IReadOnlyList<string>? TargetModules { get; init; }

    /// <summary>use_rslora = false: rank-stabilized LoRA scales by alpha / √r instead, so large ranks still learn.</summary>
    public bool UseRsLora { get; init; }

    /// <summary>bias = "none": which biases train with the adapter ("none", "all", or "lora_only": those of adapted layers).</summary>
    public string Bias { get; init; } = BiasNone;

    /// <summary>The factor applied to B A x: alpha / r, or alpha / √r with rsLoRA.</summary>
    public double Scale => UseRsLora ? Alpha / Math.Sqrt(R) : Alpha / R;

    /// <summary>Whether <see cref="TargetModules"/> is "all-linear".</summary>
    public bool TargetsAllLinear => TargetModules is [AllLinear];

    /// <summary>The target list in effect for <paramref name="architecture"/> (the default when none is set).</summary>
    public IReadOnlyList<string> TargetsFor(ModelArchitecture architecture) => TargetModules ?? architecture switch
    {
        ModelArchitecture.Gpt2 => ["c_attn"],
        _ => ["q_proj", "v_proj"],
    };

    /// <summary>Throws <see cref="AdapterConfigException"/> naming the first invalid field (PEFT's field names).</summary>
    public void Validate()
    {
        if (R < 1)
            throw new AdapterConfigException($"lora: r: {R} must be at least 1 (typical: 8 to 64).");
        if (!double.IsFinite(Alpha) || Alpha <= 0)
            throw new AdapterConfigException($"lora: lora_alpha: {Alpha} must be a positive number (typical: 2·r).");
        if (!double.IsFinite(Dropout) || Dropout < 0 || Dropout >= 1)
            throw new AdapterConfigException($"lora: lora_dropout: {Dropout} must be in [0, 1).");
        if (TargetModules is { } targets)
        {
            if (targets.Count == 0)
                throw new AdapterConfigException("lora: target_modules: the list is empty; name modules (e.g. q_proj, v_proj) or use \"all-linear\".");
            if (targets.Any(string.IsNullOrWhiteSpace))
                throw new AdapterConfigException("lora: target_modules: contains an empty name.");
            if (targets.Contains(AllLinear) && targets.Count > 1)
                throw new AdapterConfigException($"lora: target_modules: \"{AllLinear}\" stands alone; got [{string.Join(", ", targets)}].");
        }
        if (Bias is not (BiasNone or BiasAll or BiasLoraOnly))
            throw new AdapterConfigException($"lora: bias: \"{Bias}\" is not supported; allowed: \"none\", \"all\", \"lora_only\".");
    }
}
