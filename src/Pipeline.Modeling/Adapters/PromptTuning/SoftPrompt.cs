using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.PromptTuning;

/// <summary>
/// n virtual-token embeddings (n, hidden) placed before every sequence's input embeddings, with the attention mask
/// and labels extended to match, as PEFT's prompt learning does. Prompt tuning trains the embeddings themselves;
/// P-tuning computes them with a prompt encoder.
/// </summary>
public abstract class SoftPrompt : nn.Module<Tensor, Tensor>
{
    protected SoftPrompt(string name) : base(name) { }

    public abstract int NumVirtualTokens { get; }

    /// <summary>The virtual tokens' embeddings, (n, hidden), as this step computes them.</summary>
    public abstract Tensor VirtualTokens();

    /// <summary>(B, T, hidden) → (B, n + T, hidden)</summary>
    public override Tensor forward(Tensor inputEmbeddings)
    {
        var batch = inputEmbeddings.shape[0];
        var prompt = VirtualTokens().to(inputEmbeddings.dtype).unsqueeze(0).expand(batch, -1, -1);   // (B, n, hidden)
        return cat([prompt, inputEmbeddings], dim: 1);
    }

    /// <summary>(B, S) → (B, n + S): the virtual tokens are always attended to.</summary>
    public Tensor ExtendMask(Tensor attentionMask) =>
        cat([ones(attentionMask.shape[0], NumVirtualTokens, dtype: attentionMask.dtype, device: attentionMask.device), attentionMask], dim: 1);

    /// <summary>(B, T) → (B, n + T): virtual positions carry no target (-100).</summary>
    public Tensor ExtendLabels(Tensor labels) =>
        cat([full(labels.shape[0], NumVirtualTokens, CausalLmLoss.IgnoreIndex, dtype: labels.dtype, device: labels.device), labels], dim: 1);
}
