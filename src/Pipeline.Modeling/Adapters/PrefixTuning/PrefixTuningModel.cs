using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.PrefixTuning;

/// <summary>
/// A frozen causal LM whose every attention layer also attends to n trained key/value vectors, injected through the
/// KV cache, the path cached keys take (PEFT passes them as past_key_values). Without a cache, a differentiable cache
/// holding the prefix is made for the pass (<see cref="KvCache.WithPrefix"/>); with an empty cache, the prefix is
/// written into it first and stays there for generation. A 2-D attention mask gains n leading ones (the prefix is
/// always visible), so real tokens take positions n, n + 1, … as in PEFT; logits, labels and hidden states keep the
/// input's length. Callers use it like the base model.
/// </summary>
public sealed class PrefixTuningModel : CausalLanguageModel
{
    private readonly CausalLanguageModel base_model;
    private readonly PrefixEncoder prefix_encoder;

    public PrefixTuningModel(CausalLanguageModel baseModel, PrefixEncoder prefix) : base(nameof(PrefixTuningModel), baseModel.Config)
    {
        var expected = 2L * baseModel.Config.NumLayers * TokenDim(baseModel.Config);
        if (prefix.Width != expected)
            throw new ArgumentException($"The prefix is {prefix.Width} wide but this model's layers need 2 · {baseModel.Config.NumLayers} · {TokenDim(baseModel.Config)} = {expected}.");
        base_model = baseModel;
        prefix_encoder = prefix;
        RegisterComponents();
    }

    /// <summary>Width of one layer's keys (and values) per position: kvHeads · headDim (PEFT's token_dim for prefix tuning).</summary>
    public static int TokenDim(Configuration.ModelConfig config) => config.NumKvHeads * config.HeadDim;

    public CausalLanguageModel BaseModel => base_model;

    public PrefixEncoder Prefix => prefix_encoder;

    public int NumVirtualTokens => prefix_encoder.NumVirtualTokens;

    public override nn.Module<Tensor, Tensor> LmHead => base_model.LmHead;

    public override Tensor EmbedTokens(Tensor inputIds) => base_model.EmbedTokens(inputIds);

    public override bool IsTransposedInCheckpoint(string parameterName) => base_model.IsTransposedInCheckpoint(parameterName);

    public override bool IsIgnoredCheckpointKey(string key) => base_model.IsIgnoredCheckpointKey(key);

    public override CausalLmOutput forward(CausalLmInput input)
    {
        var embeddings = input.InputEmbeddings ?? EmbedTokens(input.InputIds
            ?? throw new ArgumentException("A forward pass needs InputIds or InputEmbeddings."));    // (B, T, hidden)
        var cache = input.Cache;
        using var passCache = cache is null ? KvCache.WithPrefix(PerLayer(embeddings)) : null;
        if (cache is { Length: 0 })
            foreach (var (layer, (keys, values)) in PerLayer(embeddings).Index()) cache.Append(layer, keys, values);
        return base_model.call(input with
        {
            InputIds = null,
            InputEmbeddings = embeddings,
            Cache = cache ?? passCache,
            // A 4-D mask was built by the caller over every column of the cache, the prefix's included.
            AttentionMask = input.AttentionMask is null || input.AttentionMask.dim() == 4 ? input.AttentionMask : ExtendMask(input.AttentionMask),
        });
    }

    protected override Tensor ComputeHiddenStates(Tensor inputEmbeddings, Tensor? attentionMask, KvCache? cache, Tensor? positionIds) =>
        forward(new CausalLmInput(null, attentionMask, cache, null, inputEmbeddings, positionIds)).HiddenStates;

    /// <summary>(B, S) → (B, n + S)</summary>
    private Tensor ExtendMask(Tensor attentionMask) =>
        cat([ones(attentionMask.shape[0], NumVirtualTokens, dtype: attentionMask.dtype, device: attentionMask.device), attentionMask], dim: 1);

    /// <summary>Each layer's (B, kvHeads, n, headDim) keys and values, in the dtype of <paramref name="embeddings"/>.</summary>
    private IReadOnlyList<(Tensor Keys, Tensor Values)> PerLayer(Tensor embeddings)
    {
        var (batch, n, config) = (embeddings.shape[0], NumVirtualTokens, Config);
        var all = prefix_encoder.KeyValues().to(embeddings.dtype)
            .view(n, 2 * config.NumLayers, config.NumKvHeads, config.HeadDim)                 // (n, 2L, kvHeads, headDim), PEFT's order
            .permute(1, 2, 0, 3);                                                               // (2L, kvHeads, n, headDim)
        return [.. Enumerable.Range(0, config.NumLayers).Select(layer =>
            (all[2 * layer].unsqueeze(0).expand(batch, -1, -1, -1), all[2 * layer + 1].unsqueeze(0).expand(batch, -1, -1, -1)))];
    }
}
