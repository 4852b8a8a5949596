using Pipeline.Modeling.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Gpt2;

/// <summary>
/// GPT-2 multi-head self-attention. c_attn produces [q | k | v] along the last dimension. The checkpoint
/// stores c_attn/c_proj as Conv1D ([in, out]); here they are Linear ([out, in]) and the loader transposes.
/// </summary>
public sealed class Gpt2Attention : nn.Module<Tensor, Tensor?, KvCache?, Tensor>
{
    private nn.Module<Tensor, Tensor> c_attn;
    private nn.Module<Tensor, Tensor> c_proj;
    private readonly int layerIndex;
    private readonly int heads;
    private readonly int headDim;

    public Gpt2Attention(ModelConfig config, int layerIndex) : base(nameof(Gpt2Attention))
    {
        heads = config.NumHeads;
        headDim = config.HeadDim;
        this.layerIndex = layerIndex;
        c_attn = nn.Linear(config.HiddenSize, 3 * config.HiddenSize, hasBias: true);
        c_proj = nn.Linear(config.HiddenSize, config.HiddenSize, hasBias: true);
        RegisterComponents();
    }

    /// <summary>(B, T, hidden) → (B, T, hidden); <paramref name="mask"/> (B, 1, T, S) bool or null for plain causal.</summary>
    public override Tensor forward(Tensor x, Tensor? mask, KvCache? cache)
    {
        var (batch, length, hidden) = (x.shape[0], x.shape[1], x.shape[2]);
        var qkv = c_attn.call(x).split(hidden, dim: 2);                                    // 3 × (B, T, hidden)
        var q = qkv[0].view(batch, length, heads, headDim).transpose(1, 2);                // (B, heads, T, headDim)
        var k = qkv[1].view(batch, length, heads, headDim).transpose(1, 2);
        var v = qkv[2].view(batch, length, heads, headDim).transpose(1, 2);
        if (cache is not null) (k, v) = cache.Append(layerIndex, k, v);                  // (B, heads, S, headDim)

        var attended = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask, is_casual: mask is null);
        var merged = attended.transpose(1, 2).reshape(batch, length, hidden);             // (B, T, hidden)
        return c_proj.call(merged);
    }
}
