using Pipeline.Modeling.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling;

/// <summary>
/// A decoder-only language model whose module names are the Hugging Face checkpoint keys. Subclasses
/// compute the final hidden states; this class applies lm_head and the shifted cross-entropy loss.
/// </summary>
public abstract class CausalLanguageModel : nn.Module<CausalLmInput, CausalLmOutput>
{
    protected CausalLanguageModel(string name, ModelConfig config) : base(name) => Config = config;

    public ModelConfig Config { get; }

    /// <summary>The module mapping hidden states to vocabulary logits (a Linear, a tied head, or an adapter around one).</summary>
    public abstract nn.Module<Tensor, Tensor> LmHead { get; }

    /// <summary>Token embeddings: (B, T) ids → (B, T, hidden).</summary>
    public abstract Tensor EmbedTokens(Tensor inputIds);

    /// <summary>Runs the decoder stack: (B, T) → (B, T, hidden) after the final norm.</summary>
    protected abstract Tensor ComputeHiddenStates(Tensor inputEmbeddings, Tensor? attentionMask, KvCache? cache, Tensor? positionIds);

    public override CausalLmOutput forward(CausalLmInput input)
    {
        var embeddings = input.InputEmbeddings ?? EmbedTokens(input.InputIds
            ?? throw new ArgumentException("A forward pass needs InputIds or InputEmbeddings."));
        var hidden = ComputeHiddenStates(embeddings, input.AttentionMask, input.Cache, input.PositionIds);
        if (input.LogitsToKeep > 0 && input.Labels is not null)
            throw new ArgumentException("LogitsToKeep computes the last positions' logits only; the loss needs all of them.");
        var kept = input.LogitsToKeep > 0 && input.LogitsToKeep < hidden.shape[1] ? hidden[.., ^input.LogitsToKeep.., ..] : hidden;
        var logits = LmHead.call(kept);                                      // (B, T or LogitsToKeep, V)
        var loss = input.Labels is null ? null : CausalLmLoss.Compute(logits, input.Labels);
        return new CausalLmOutput(logits, loss, hidden);
    }

    /// <summary>Convenience overload of <see cref="nn.Module{T, TResult}.call"/>.</summary>
    public CausalLmOutput Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null, Tensor? labels = null) =>
        call(new CausalLmInput(inputIds, attentionMask, cache, labels));

    /// <summary>An empty key/value cache sized for this model.</summary>
    public KvCache CreateCache() => new(Config.NumLayers);

    /// <summary>
    /// Whether the checkpoint stores this parameter transposed relative to the module (GPT-2's Conv1D
    /// keeps [in, out]; our projections are Linear with [out, in]).
    /// </summary>
    public virtual bool IsTransposedInCheckpoint(string parameterName) => false;

    /// <summary>
    /// Checkpoint keys that are neither loaded nor reported as unexpected, as transformers ignores them
    /// (non-persistent buffers of old checkpoints, a tied lm_head.weight).
    /// </summary>
    public virtual bool IsIgnoredCheckpointKey(string key) => false;
}
