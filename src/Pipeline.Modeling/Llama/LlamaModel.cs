using Pipeline.Modeling.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Llama;

/// <summary>The decoder stack under the "model." prefix of a Llama-family checkpoint.</summary>
public sealed class LlamaModel : nn.Module<Tensor, Tensor?, KvCache?, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private nn.Module<Tensor, Tensor> norm;   // replaceable by LayerNorm tuning
    private readonly RotaryEmbedding rotary_emb;
    private readonly int? slidingWindow;

    public LlamaModel(ModelConfig config) : base(nameof(LlamaModel))
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = new ModuleList<LlamaDecoderLayer>([.. Enumerable.Range(0, config.NumLayers).Select(i => new LlamaDecoderLayer(config, i))]);
        norm = new RmsNorm(config.HiddenSize, config.NormEps);
        rotary_emb = new RotaryEmbedding(config);
        slidingWindow = config.SlidingWindow;
        RegisterComponents();
    }

    public Embedding EmbedTokens => embed_tokens;

    /// <summary>(B, T, hidden) input embeddings → (B, T, hidden) normalized final hidden states.</summary>
    public override Tensor forward(Tensor embeddings, Tensor? attentionMask, KvCache? cache) => forward(embeddings, attentionMask, cache, null);

    /// <summary>As above, with given (B, T) position ids (null: from the mask); a 4-D mask is used as it is (see <see cref="CausalLmInput"/>).</summary>
    public Tensor forward(Tensor embeddings, Tensor? attentionMask, KvCache? cache, Tensor? positionIds)
    {
        var (batch, length) = (embeddings.shape[0], embeddings.shape[1]);
        var past = cache?.Length ?? 0;
        var positions = positionIds ?? AttentionMasks.PositionIds(attentionMask, batch, past, length, embeddings.device);   // (B, T)
        var (cos, sin) = rotary_emb.call(positions);                                                       // (B, 1, T, headDim)
        var mask = attentionMask?.dim() == 4 ? attentionMask : AttentionMasks.CausalMask(attentionMask, past, length, slidingWindow, embeddings.device);
        var context = new AttentionContext(cos, sin, mask, cache);

        var hidden = embeddings;
        foreach (var layer in layers) hidden = layer.call(hidden, context);
        return norm.call(hidden);
    }
}
