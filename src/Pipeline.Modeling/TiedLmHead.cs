using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling;

/// <summary>
/// lm_head when tie_word_embeddings: logits = hidden · Eᵀ with the embedding matrix itself. It has no
/// parameter of its own (so the weight is trained, saved and counted once, as a tied checkpoint has no
/// lm_head.weight) and reads the embedding weight at call time, so it follows .to() and loading.
/// </summary>
public sealed class TiedLmHead : nn.Module<Tensor, Tensor>
{
    // A delegate, not a Module field: a Module field would be registered as a child and saved twice.
    private readonly Func<Tensor> embeddingWeight;

    public TiedLmHead(Func<Tensor> embeddingWeight) : base(nameof(TiedLmHead))
    {
        this.embeddingWeight = embeddingWeight;
        RegisterComponents();
    }

    /// <summary>(…, hidden) → (…, V)</summary>
    public override Tensor forward(Tensor hidden) => nn.functional.linear(hidden, embeddingWeight());
}
