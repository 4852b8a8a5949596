using Pipeline.Contracts;

namespace Pipeline.Modeling.Adapters.PTuning;

/// <summary>
/// P-tuning (Liu et al. 2021): virtual tokens produced by a prompt encoder over trainable embeddings, prepended to the
/// input embeddings; the language model stays fixed. PEFT's PromptEncoderConfig.
/// </summary>
public sealed record PTuningConfig
{
    /// <summary>num_virtual_tokens = 20.</summary>
    public int NumVirtualTokens { get; init; } = 20;

    /// <summary>encoder_reparameterization_type = MLP.</summary>
    public PromptEncoderType EncoderType { get; init; } = PromptEncoderType.Mlp;

    /// <summary>encoder_hidden_size: the encoder's width; null: the model's hidden size (PEFT's default).</summary>
    public int? EncoderHiddenSize { get; init; }

    /// <summary>encoder_num_layers = 2: LSTM layers (the MLP always has PEFT's fixed three linears).</summary>
    public int EncoderNumLayers { get; init; } = 2;

    /// <summary>encoder_dropout = 0: dropout between LSTM layers.</summary>
    public double EncoderDropout { get; init; }

    public void Validate()
    {
        if (NumVirtualTokens < 1)
            throw new AdapterConfigException($"p_tuning: num_virtual_tokens: {NumVirtualTokens} must be at least 1 (typical: 8 to 100).");
        if (EncoderHiddenSize is < 1)
            throw new AdapterConfigException($"p_tuning: encoder_hidden_size: {EncoderHiddenSize} must be at least 1 (or left out: the model's hidden size).");
        if (EncoderNumLayers < 1)
            throw new AdapterConfigException($"p_tuning: encoder_num_layers: {EncoderNumLayers} must be at least 1.");
        if (EncoderDropout is < 0 or >= 1)
            throw new AdapterConfigException($"p_tuning: encoder_dropout: {EncoderDropout} must be in [0, 1).");
        if (!Enum.IsDefined(EncoderType))
            throw new AdapterConfigException($"p_tuning: encoder_reparameterization_type: {(int)EncoderType} is not supported; allowed: MLP, LSTM.");
    }
}
