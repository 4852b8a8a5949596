namespace Pipeline.Modeling.Configuration;

/// <summary>The model families this project implements; a config.json's model_type maps to one of them.</summary>
public enum ModelArchitecture
{
    /// <summary>Llama 2/3, Mistral and Qwen2: RMSNorm, RoPE, SwiGLU, grouped-query attention.</summary>
    Llama,

    /// <summary>GPT-2: learned positions, LayerNorm, GELU (tanh approximation), Conv1D projections.</summary>
    Gpt2,
}
