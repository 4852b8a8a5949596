using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.PromptTuning;

/// <summary>Prompt tuning's soft prompt: the n virtual-token embeddings (n, hidden) are the trainable parameter.</summary>
public sealed class PromptTuning : SoftPrompt
{
    private readonly Parameter embedding;

    public PromptTuning(Tensor initialEmbeddings) : base(nameof(PromptTuning))
    {
        if (initialEmbeddings.dim() != 2)
            throw new ArgumentException($"Prompt embeddings are (virtual tokens, hidden); got shape [{string.Join(", ", initialEmbeddings.shape)}].");
        embedding = new Parameter(initialEmbeddings.detach().clone());
        RegisterComponents();
    }

    /// <summary>(n, hidden)</summary>
    public Parameter Embeddings => embedding;

    public override int NumVirtualTokens => (int)embedding.shape[0];

    public override Tensor VirtualTokens() => embedding;
}
