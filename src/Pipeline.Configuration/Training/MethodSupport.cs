using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration.Training;

/// <summary>
/// Which fine-tuning methods each kind of stage can use, and why not where it cannot: checked when the config is
/// validated and again by the trainers, so both say the same.
/// </summary>
public static class MethodSupport
{
    /// <summary>Methods that put virtual tokens or key/value prefixes in front of every sequence.</summary>
    public static bool AddsPositions(FineTuningMethod method) =>
        method is FineTuningMethod.PromptTuning or FineTuningMethod.PTuning or FineTuningMethod.PrefixTuning;

    /// <summary>Whether training with <paramref name="method"/> ends in a plain model: no adapter, or one that merges into the weights.</summary>
    public static bool MergesIntoModel(FineTuningMethod method) => !AddsPositions(method) && method != FineTuningMethod.Bottleneck;

    /// <summary>A reward model is saved as one plain classifier, its adapter merged into the body: only methods that merge (or need no merging).</summary>
    public static bool SupportsRewardModel(FineTuningMethod method) => MergesIntoModel(method);

    /// <summary>Why the SFT stage's output cannot feed <paramref name="laterStages"/>, or null when it can.</summary>
    public static string? SftOutputRefusal(FineTuningMethod method, IReadOnlyList<string> laterStages) => MergesIntoModel(method) || laterStages.Count == 0 ? null
        : $"{Name(method)} trains an additive adapter that cannot be merged into a model, but {string.Join(", ", laterStages)} start from the SFT model; " +
          $"use a method that merges ({Allowed(MergesIntoModel)}) or run sft without later stages (its output is then the adapter folder)";

    /// <summary>DPO, PPO and GRPO compare the policy with its reference (the same model with its adapter off, or a copy of the base).</summary>
    public static bool SupportsAlignment(FineTuningMethod method) => !AddsPositions(method);

    /// <summary>Why a reward model cannot train with <paramref name="method"/>, or null when it can.</summary>
    public static string? RewardModelRefusal(FineTuningMethod method) => SupportsRewardModel(method) ? null
        : $"{Name(method)} is not supported for reward models: the reward model is saved as one plain classifier with its adapter merged into the body, and " +
          (method == FineTuningMethod.Bottleneck ? "bottleneck adapters (new non-linear modules)" : "virtual tokens or key/value prefixes") +
          $" cannot be merged; allowed: {Allowed(SupportsRewardModel)}";

    /// <summary>Why DPO, PPO or GRPO cannot train with <paramref name="method"/>, or null when it can.</summary>
    public static string? AlignmentRefusal(FineTuningMethod method) => SupportsAlignment(method) ? null
        : $"{Name(method)} is not supported for alignment: the reference policy would be the model without its virtual tokens or prefix, " +
          $"so the KL term would measure the prompt itself; allowed: {Allowed(SupportsAlignment)}";

    /// <summary>Why SFT cannot pack rows with <paramref name="method"/>, or null when it can.</summary>
    public static string? PackingRefusal(FineTuningMethod method) => AddsPositions(method)
        ? $"cannot be combined with method {Name(method)}: the virtual tokens or prefix are visible to one example per row, " +
          "so only the first packed conversation would see them; set packing: false or choose another method"
        : null;

    private static string Name(FineTuningMethod method) => ConfigNaming.NameOf(method);

    private static string Allowed(Func<FineTuningMethod, bool> supports) =>
        string.Join(", ", Enum.GetValues<FineTuningMethod>().Where(supports).Select(Name));
}
