using Pipeline.Configuration.Validation;
using Pipeline.Contracts;

namespace Pipeline.Configuration.Training;

/// <summary>P-tuning (Liu et al.): virtual tokens produced by a small prompt encoder, prepended to the input; the model stays fixed.</summary>
public sealed record PTuningSettings
{
    /// <summary>Number of virtual tokens, default 20.</summary>
    [Range(1, 1000)]
    public int VirtualTokens { get; init; } = 20;

    /// <summary>The prompt encoder, default mlp (PEFT's recommendation; lstm is the paper's bidirectional LSTM).</summary>
    public PromptEncoderType Encoder { get; init; } = PromptEncoderType.Mlp;

    /// <summary>Width of the encoder, default unset: the model's hidden size (PEFT's default).</summary>
    [Range(1, 65_536)]
    public int? EncoderHiddenSize { get; init; }

    /// <summary>LSTM layers, default 2 (PEFT's); the MLP always has three linear layers.</summary>
    [Range(1, 16)]
    public int EncoderNumLayers { get; init; } = 2;

    /// <summary>Dropout between LSTM layers, default 0.</summary>
    [Range(0, 1, MaximumIsExclusive = true)]
    public double EncoderDropout { get; init; }
}
