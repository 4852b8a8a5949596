using Pipeline.Modeling.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Llama;

/// <summary>Pre-norm residual block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class LlamaDecoderLayer : nn.Module<Tensor, AttentionContext, Tensor>
{
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    // Norms are typed Module<Tensor, Tensor> so LayerNorm tuning can wrap them (see ModuleSurgery).
    private nn.Module<Tensor, Tensor> input_layernorm;
    private nn.Module<Tensor, Tensor> post_attention_layernorm;

    public LlamaDecoderLayer(ModelConfig config, int layerIndex) : base(nameof(LlamaDecoderLayer))
    {
        self_attn = new LlamaAttention(config, layerIndex);
        mlp = new LlamaMlp(config);
        input_layernorm = new RmsNorm(config.HiddenSize, config.NormEps);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.NormEps);
        RegisterComponents();
    }

    /// <summary>(B, T, hidden) → (B, T, hidden)</summary>
    public override Tensor forward(Tensor x, AttentionContext context)
    {
        var h = x + self_attn.call(input_layernorm.call(x), context);
        return h + mlp.call(post_attention_layernorm.call(h));
    }
}
