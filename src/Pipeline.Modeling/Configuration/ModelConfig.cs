using TorchSharp;

namespace Pipeline.Modeling.Configuration;

/// <summary>
/// The architecture hyperparameters of a causal language model, normalized over the Hugging Face
/// config.json spellings (Llama's hidden_size is GPT-2's n_embd). Read with <see cref="ModelConfigJson.Read"/>,
/// written with <see cref="ModelConfigJson.Write"/>; defaults are those of transformers' config classes.
/// </summary>
public sealed record ModelConfig
{
    public required ModelArchitecture Architecture { get; init; }

    /// <summary>config.json model_type: llama, mistral, qwen2 or gpt2.</summary>
    public required string ModelType { get; init; }

    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumLayers { get; init; }
    public required int NumHeads { get; init; }

    /// <summary>Key/value heads for grouped-query attention; equal to <see cref="NumHeads"/> for plain multi-head attention.</summary>
    public required int NumKvHeads { get; init; }

    /// <summary>Per-head width; hidden_size / heads unless config.json sets head_dim.</summary>
    public required int HeadDim { get; init; }

    /// <summary>Epsilon of RMSNorm (rms_norm_eps, 1e-6 by default) or LayerNorm (layer_norm_epsilon, 1e-5).</summary>
    public required double NormEps { get; init; }

    /// <summary>Context length the model was built for (max_position_embeddings / n_positions); GPT-2's position table has this many rows.</summary>
    public required int MaxPositionEmbeddings { get; init; }

    /// <summary>Whether lm_head shares the embedding matrix (GPT-2 always; Llama family when tie_word_embeddings).</summary>
    public required bool TieWordEmbeddings { get; init; }

    /// <summary>RoPE base (rope_theta, 10000 by default). Unused by GPT-2.</summary>
    public double RopeTheta { get; init; } = 10000.0;

    public RopeScaling? RopeScaling { get; init; }

    /// <summary>Bias on q/k/v projections (Llama attention_bias; always on for Qwen2).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Bias on o_proj (Llama attention_bias; never for Qwen2).</summary>
    public bool OutputProjectionBias { get; init; }

    /// <summary>Bias on gate/up/down projections (mlp_bias).</summary>
    public bool MlpBias { get; init; }

    /// <summary>Mistral's sliding attention window in tokens (null: full causal attention).</summary>
    public int? SlidingWindow { get; init; }

    /// <summary>Activation as spelled in config.json: "silu" (Llama family) or "gelu_new" (GPT-2).</summary>
    public required string HiddenAct { get; init; }

    public int? BosTokenId { get; init; }

    /// <summary>End-of-sequence ids (Llama 3 lists several).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    public int? PadTokenId { get; init; }

    /// <summary>config.json torch_dtype: float32, bfloat16 or float16.</summary>
    public string TorchDtype { get; init; } = "float32";

    /// <summary>The TorchSharp dtype for <see cref="TorchDtype"/>.</summary>
    public torch.ScalarType ScalarType => ModelConfigJson.ParseDtype(TorchDtype, "torch_dtype");
}
