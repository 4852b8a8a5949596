using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Training;

/// <summary>Prompt tuning (Lester et al.): trainable embeddings prepended to every input.</summary>
public sealed record PromptTuningSettings
{
    /// <summary>Number of virtual tokens, default 20: the paper's gains flatten out around 20.</summary>
    [Range(1, 1000)]
    public int VirtualTokens { get; init; } = 20;
}
