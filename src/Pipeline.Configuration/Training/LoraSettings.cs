using Pipeline.Configuration.Validation;
using YamlDotNet.Serialization;

namespace Pipeline.Configuration.Training;

/// <summary>LoRA adapters: W + (alpha / r)·B·A on each target module, A Kaiming-uniform, B zero.</summary>
public sealed record LoraSettings : IValidatableSettings
{
    public const string AllLinear = "all-linear";

    /// <summary>Adapter rank, default 8: the PEFT default, ample for style and format tuning.</summary>
    [Range(1, 1024)]
    public int R { get; init; } = 8;

    /// <summary>Scale numerator, default 16 (alpha = 2r, the common choice, makes the update scale 2).</summary>
    [Range(0, double.PositiveInfinity, MinimumIsExclusive = true)]
    public double Alpha { get; init; } = 16;

    /// <summary>Dropout on the adapter's input, default 0.05: light regularization for small data sets.</summary>
    [Range(0, 1, MaximumIsExclusive = true)]
    public double Dropout { get; init; } = 0.05;

    /// <summary>
    /// Module names to adapt (matched against the end of each module's path), default [q_proj, v_proj]
    /// as in the LoRA paper; <c>all-linear</c> adapts every linear layer except the output head.
    /// </summary>
    [Count(1), DistinctItems, ScalarShorthand(AllLinear)]
    [Pattern(@"^(all-linear|[A-Za-z_][A-Za-z0-9_.]*)$", "a module name such as q_proj, or all-linear")]
    public IReadOnlyList<string> TargetModules { get; init; } = ["q_proj", "v_proj"];

    /// <summary>
    /// Rank-stabilized LoRA (scale alpha/√r instead of alpha/r), default false; worth it for large r,
    /// where alpha/r shrinks the update too much.
    /// </summary>
    [YamlMember(Alias = "use_rslora")]
    public bool UseRsLora { get; init; }

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        if (context.IsValid("target_modules") && TargetModules.Contains(AllLinear) && TargetModules.Count > 1)
            context.Error("target_modules", "all-linear already selects every linear layer; write it alone, not in a list with other modules");
    }
}
