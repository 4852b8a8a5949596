using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters;

/// <summary>
/// The trainable soft prompt: n virtual-token embeddings (n, hidden) placed before every sequence's input
/// embeddings, with the attention mask and labels extended to match (as PEFT's prompt tuning does).
/// </summary>
public sealed class PromptTuning : nn.Module<Tensor, Tensor>
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

    public int NumVirtualTokens => (int)embedding.shape[0];

    /// <summary>(B, T, hidden) → (B, n + T, hidden)</summary>
    public override Tensor forward(Tensor inputEmbeddings)
    {
        var batch = inputEmbeddings.shape[0];
        var prompt = embedding.to(inputEmbeddings.dtype).unsqueeze(0).expand(batch, -1, -1);   // (B, n, hidden)
        return cat([prompt, inputEmbeddings], dim: 1);
    }

    /// <summary>(B, S) → (B, n + S): the virtual tokens are always attended to.</summary>
    public Tensor ExtendMask(Tensor attentionMask) =>
        cat([ones(attentionMask.shape[0], NumVirtualTokens, dtype: attentionMask.dtype, device: attentionMask.device), attentionMask], dim: 1);

    /// <summary>(B, T) → (B, n + T): virtual positions carry no target (-100).</summary>
    public Tensor ExtendLabels(Tensor labels) =>
        cat([full(labels.shape[0], NumVirtualTokens, CausalLmLoss.IgnoreIndex, dtype: labels.dtype, device: labels.device), labels], dim: 1);
}
