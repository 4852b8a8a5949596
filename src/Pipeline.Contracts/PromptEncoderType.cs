namespace Pipeline.Contracts;

/// <summary>How P-tuning's prompt encoder reparametrizes the virtual-token embeddings (PEFT's encoder_reparameterization_type; run config: mlp, lstm); shared by the configuration and the modeling library.</summary>
public enum PromptEncoderType
{
    /// <summary>"MLP": three linear layers with ReLU (PEFT's recommendation).</summary>
    Mlp,
    /// <summary>"LSTM": a bidirectional LSTM, then a two-layer MLP (the paper's encoder).</summary>
    Lstm,
}
