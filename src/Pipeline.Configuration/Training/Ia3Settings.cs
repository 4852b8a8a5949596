using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Training;

/// <summary>(IA)³: learned vectors rescaling keys, values and the feed-forward's intermediate activations; merges into the weights.</summary>
public sealed record Ia3Settings : IValidatableSettings
{
    /// <summary>
    /// Modules to rescale, default empty: PEFT's defaults (k_proj, v_proj, down_proj; GPT-2: c_attn, mlp.c_proj), with
    /// down_proj / mlp.c_proj as the feed-forward modules.
    /// </summary>
    [DistinctItems]
    [Pattern(@"^[A-Za-z_][A-Za-z0-9_.]*$", "a module name such as k_proj")]
    public IReadOnlyList<string> TargetModules { get; init; } = [];

    /// <summary>Targets whose input is rescaled instead of their output (the feed-forward's output projection); only with target_modules.</summary>
    [DistinctItems]
    [Pattern(@"^[A-Za-z_][A-Za-z0-9_.]*$", "a module name such as down_proj")]
    public IReadOnlyList<string> FeedforwardModules { get; init; } = [];

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        if (!context.IsValid("target_modules") || !context.IsValid("feedforward_modules")) return;
        if (TargetModules.Count == 0 && FeedforwardModules.Count > 0)
            context.Error("feedforward_modules", "needs target_modules: the default targets come with their own feed-forward modules; list target_modules too");
        var outside = FeedforwardModules.Where(f => !TargetModules.Contains(f)).ToList();
        if (TargetModules.Count > 0 && outside.Count > 0)
            context.Error("feedforward_modules", $"{string.Join(", ", outside)} must also be in target_modules");
    }
}
