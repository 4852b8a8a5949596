using Pipeline.Modeling.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Gpt2;

/// <summary>Pre-norm residual block: x + attn(ln_1(x)), then h + mlp(ln_2(h)).</summary>
public sealed class Gpt2Block : nn.Module<Tensor, Tensor?, KvCache?, Tensor>
{
    // Norms are typed Module<Tensor, Tensor> so LayerNorm tuning can wrap them (see ModuleSurgery).
    private nn.Module<Tensor, Tensor> ln_1;
    private readonly Gpt2Attention attn;
    private nn.Module<Tensor, Tensor> ln_2;
    private readonly Gpt2Mlp mlp;

    public Gpt2Block(ModelConfig config, int layerIndex) : base(nameof(Gpt2Block))
    {
        ln_1 = nn.LayerNorm(config.HiddenSize, config.NormEps);
        attn = new Gpt2Attention(config, layerIndex);
        ln_2 = nn.LayerNorm(config.HiddenSize, config.NormEps);
        mlp = new Gpt2Mlp(config);
        RegisterComponents();
    }

    /// <summary>(B, T, hidden) → (B, T, hidden)</summary>
    public override Tensor forward(Tensor x, Tensor? mask, KvCache? cache)
    {
        var h = x + attn.call(ln_1.call(x), mask, cache);
        return h + mlp.call(ln_2.call(h));
    }
}
