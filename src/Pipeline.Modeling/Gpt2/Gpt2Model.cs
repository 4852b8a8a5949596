using Pipeline.Modeling.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Gpt2;

/// <summary>The stack under the "transformer." prefix of a GPT-2 checkpoint.</summary>
public sealed class Gpt2Model : nn.Module<Tensor, Tensor?, KvCache?, Tensor>
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly ModuleList<Gpt2Block> h;
    private nn.Module<Tensor, Tensor> ln_f;   // replaceable by LayerNorm tuning
    private readonly int maxPositions;

    public Gpt2Model(ModelConfig config) : base(nameof(Gpt2Model))
    {
        wte = nn.Embedding(config.VocabSize, config.HiddenSize);
        wpe = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        h = new ModuleList<Gpt2Block>([.. Enumerable.Range(0, config.NumLayers).Select(i => new Gpt2Block(config, i))]);
        ln_f = nn.LayerNorm(config.HiddenSize, config.NormEps);
        maxPositions = config.MaxPositionEmbeddings;
        RegisterComponents();
    }

    public Embedding TokenEmbeddings => wte;

    /// <summary>
    /// (B, T, hidden) token embeddings → (B, T, hidden) after ln_f. Positions come from the padding mask
    /// (as transformers' generate() computes them), so left padding does not shift the real tokens.
    /// </summary>
    public override Tensor forward(Tensor embeddings, Tensor? attentionMask, KvCache? cache) => forward(embeddings, attentionMask, cache, null);

    /// <summary>As above, with given (B, T) position ids (null: from the mask); a 4-D mask is used as it is (see <see cref="CausalLmInput"/>).</summary>
    public Tensor forward(Tensor embeddings, Tensor? attentionMask, KvCache? cache, Tensor? positionIds)
    {
        var (batch, length) = (embeddings.shape[0], embeddings.shape[1]);
        var past = cache?.Length ?? 0;
        if (positionIds is null && past + length > maxPositions)
            throw new ArgumentException($"GPT-2 has {maxPositions} positions (n_positions); this pass needs {past + length}.");
        var positions = positionIds ?? AttentionMasks.PositionIds(attentionMask, batch, past, length, embeddings.device);   // (B, T)
        var mask = attentionMask?.dim() == 4 ? attentionMask : AttentionMasks.CausalMask(attentionMask, past, length, slidingWindow: null, embeddings.device);

        var hidden = embeddings + wpe.call(positions);                                                      // (B, T, hidden)
        foreach (var block in h) hidden = block.call(hidden, mask, cache);
        return ln_f.call(hidden);
    }
}
