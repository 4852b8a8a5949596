namespace Pipeline.Modeling.Adapters.PrefixTuning;

/// <summary>
/// Prefix tuning (Li and Liang 2021): n trainable key/value vectors per layer that every token attends to, the
/// model frozen. PEFT's PrefixTuningConfig: num_virtual_tokens, prefix_projection, encoder_hidden_size.
/// </summary>
public sealed record PrefixTuningConfig
{
    /// <summary>num_virtual_tokens = 20: prefix length per layer (the paper uses 10 to 200; capacity grows with it, and so does attention).</summary>
    public int NumVirtualTokens { get; init; } = 20;

    /// <summary>
    /// prefix_projection = true: train n embeddings through a two-layer tanh MLP (embedding → encoder_hidden_size →
    /// every layer's keys and values), as the paper does because optimizing the prefix directly is unstable. The
    /// saved adapter holds the MLP's output (folded), as PEFT saves it. False: train the keys and values directly.
    /// </summary>
    public bool PrefixProjection { get; init; } = true;

    /// <summary>encoder_hidden_size: the MLP's width; null: the prefix's token_dim (PEFT's default).</summary>
    public int? EncoderHiddenSize { get; init; }

    public void Validate()
    {
        if (NumVirtualTokens < 1)
            throw new AdapterConfigException($"prefix_tuning: num_virtual_tokens: {NumVirtualTokens} must be at least 1 (typical: 10 to 200).");
        if (EncoderHiddenSize is < 1)
            throw new AdapterConfigException($"prefix_tuning: encoder_hidden_size: {EncoderHiddenSize} must be at least 1 (or left out: the prefix's width).");
    }
}
