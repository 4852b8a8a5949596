using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Training;

/// <summary>Prefix tuning (Li and Liang): trainable keys and values that every layer's attention sees before the input.</summary>
public sealed record PrefixTuningSettings
{
    /// <summary>Prefix positions per layer, default 20 (the paper's range is 10 to 200); 0 would be no prefix at all.</summary>
    [Range(1, 1000)]
    public int VirtualTokens { get; init; } = 20;

    /// <summary>
    /// Train the prefix through a two-layer MLP, default true: the paper found optimizing the keys and values directly
    /// unstable. The saved adapter holds the MLP's output either way (PEFT's layout).
    /// </summary>
    public bool PrefixProjection { get; init; } = true;

    /// <summary>Width of that MLP, default unset: the prefix's own width (kv heads × head dim), PEFT's default.</summary>
    [Range(1, 65_536)]
    public int? EncoderHiddenSize { get; init; }
}
