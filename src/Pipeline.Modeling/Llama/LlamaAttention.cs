using Pipeline.Modeling.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Llama;

/// <summary>Grouped-query self-attention with rotary positions (kvHeads ≤ heads; each kv head serves heads/kvHeads query heads).</summary>
public sealed class LlamaAttention : nn.Module<Tensor, AttentionContext, Tensor>
{
    // Projections are typed Module<Tensor, Tensor> so adapters can replace them (see ModuleSurgery).
    private nn.Module<Tensor, Tensor> q_proj;
    private nn.Module<Tensor, Tensor> k_proj;
    private nn.Module<Tensor, Tensor> v_proj;
    private nn.Module<Tensor, Tensor> o_proj;
    private readonly int layerIndex;
    private readonly int heads;
    private readonly int kvHeads;
    private readonly int headDim;

    public LlamaAttention(ModelConfig config, int layerIndex) : base(nameof(LlamaAttention))
    {
        heads = config.NumHeads;
        kvHeads = config.NumKvHeads;
        headDim = config.HeadDim;
        this.layerIndex = layerIndex;
        q_proj = nn.Linear(config.HiddenSize, heads * headDim, hasBias: config.QkvBias);
        k_proj = nn.Linear(config.HiddenSize, kvHeads * headDim, hasBias: config.QkvBias);
        v_proj = nn.Linear(config.HiddenSize, kvHeads * headDim, hasBias: config.QkvBias);
        o_proj = nn.Linear(heads * headDim, config.HiddenSize, hasBias: config.OutputProjectionBias);
        RegisterComponents();
    }

    /// <summary>(B, T, hidden) → (B, T, hidden)</summary>
    public override Tensor forward(Tensor x, AttentionContext context)
    {
        var (batch, length) = (x.shape[0], x.shape[1]);
        var q = q_proj.call(x).view(batch, length, heads, headDim).transpose(1, 2);      // (B, heads, T, headDim)
        var k = k_proj.call(x).view(batch, length, kvHeads, headDim).transpose(1, 2);    // (B, kvHeads, T, headDim)
        var v = v_proj.call(x).view(batch, length, kvHeads, headDim).transpose(1, 2);    // (B, kvHeads, T, headDim)
        q = RotaryEmbedding.Apply(q, context.Cos, context.Sin);
        k = RotaryEmbedding.Apply(k, context.Cos, context.Sin);
        if (context.Cache is not null) (k, v) = context.Cache.Append(layerIndex, k, v);  // (B, kvHeads, S, headDim)

        var attended = length == 1 && heads != kvHeads
            ? GroupedSingleQuery(q, k, v, context.Mask)
            : nn.functional.scaled_dot_product_attention(q, RepeatKv(k), RepeatKv(v), attn_mask: context.Mask, is_casual: context.Mask is null);   // (B, heads, T, headDim)
        var merged = attended.transpose(1, 2).reshape(batch, length, heads * headDim);    // (B, T, heads·headDim)
        return o_proj.call(merged);
    }

    /// <summary>
    /// One query position (a decode step) under grouped-query attention without copying keys and values per query head:
    /// the n query heads a kv head serves become n query rows of that head, (B, kvHeads, n, headDim), which attend to its
    /// (B, kvHeads, S, headDim) keys under the same (B, 1, 1, S) mask. Each row's scores and weighted sum are exactly
    /// those of its own head; what is saved is <see cref="RepeatKv"/>'s copy of the whole cache, twice per layer and step
    /// (at batch 32 and 80 cached positions it cost four times the attention itself).
    /// </summary>
    /// <returns>(B, heads, 1, headDim)</returns>
    private Tensor GroupedSingleQuery(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        var batch = q.shape[0];
        var grouped = q.reshape(batch, kvHeads, heads / kvHeads, headDim);              // query head g·n + r → row r of kv head g
        // With one query, every cached key is in its past: no mask means attend to all (is_causal would align the n rows top-left).
        return nn.functional.scaled_dot_product_attention(grouped, k, v, attn_mask: mask).view(batch, heads, 1, headDim);
    }

    /// <summary>(B, kvHeads, S, headDim) → (B, heads, S, headDim): kv head g serves query heads g·n … g·n + n − 1.</summary>
    private Tensor RepeatKv(Tensor kv) => heads == kvHeads ? kv : kv.repeat_interleave(heads / kvHeads, dim: 1);
}
