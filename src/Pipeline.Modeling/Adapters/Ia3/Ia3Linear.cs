using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.Ia3;

/// <summary>
/// A linear layer rescaled by a learned vector, as PEFT's IA3 Linear: y = base(x) ⊙ l with l (out, 1), or for a
/// feed-forward module y = base(x ⊙ l) with l (1, in). l starts at ones, so a fresh adapter changes nothing. The
/// parameter is named ia3_l and the base base_layer, as in PEFT, so state-dict keys are PEFT's without the adapter name.
/// </summary>
public sealed class Ia3Linear : nn.Module<Tensor, Tensor>, IAdapterLayer
{
    private readonly Linear base_layer;
    private readonly Parameter ia3_l;

    public Ia3Linear(Linear baseLayer, bool isFeedforward) : base(nameof(Ia3Linear))
    {
        var weight = baseLayer.weight!;
        base_layer = baseLayer;
        IsFeedforward = isFeedforward;
        long[] shape = isFeedforward ? [1, weight.shape[1]] : [weight.shape[0], 1];
        ia3_l = new Parameter(ones(shape, weight.dtype, weight.device));
        RegisterComponents();
    }

    public bool IsFeedforward { get; }

    public bool AdapterEnabled { get; set; } = true;

    public Linear BaseLayer => base_layer;

    /// <summary>(out, 1), or (1, in) for a feed-forward module.</summary>
    public Parameter Scaling => ia3_l;

    /// <summary>(…, in) → (…, out)</summary>
    public override Tensor forward(Tensor x)
    {
        if (!AdapterEnabled) return base_layer.call(x);
        var scale = ia3_l.flatten().to(x.dtype);                                            // (in) or (out)
        return IsFeedforward ? base_layer.call(x * scale) : base_layer.call(x) * scale;
    }

    /// <summary>A plain Linear computing what this layer computes: W ⊙ l (rows for l (out, 1), columns for l (1, in)), and the bias ⊙ l when the output is scaled.</summary>
    public Linear ToMergedLinear()
    {
        using var _ = no_grad();
        var weight = base_layer.weight!;
        var merged = nn.Linear(weight.shape[1], weight.shape[0], hasBias: base_layer.bias is not null, device: weight.device, dtype: weight.dtype);
        merged.weight!.copy_(weight * ia3_l.to(weight.dtype));                               // (out, in) ⊙ (out, 1) or (1, in)
        if (base_layer.bias is { } bias)
            merged.bias!.copy_(IsFeedforward ? bias : bias * ia3_l.flatten().to(bias.dtype));
        return merged;
    }
}
