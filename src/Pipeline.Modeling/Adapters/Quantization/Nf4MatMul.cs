using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters;

/// <summary>
/// y = x·Wᵀ for a frozen NF4 weight W that is dequantized in the forward pass and again in the backward pass,
/// so the autograd graph holds no full-precision copy of W between them (what bitsandbytes' MatMul4Bit does).
/// With an ordinary matmul on the dequantized W, autograd keeps W for the input gradient x̄ = ȳ·W: one
/// compute-dtype weight per layer alive until backward, which is as much memory as the unquantized model.
/// The cost is a second dequantization per layer in backward. W is frozen, so only x gets a gradient.
/// </summary>
internal sealed class Nf4MatMul : autograd.SingleTensorFunction<Nf4MatMul>
{
    private const string LayerKey = "layer";

    public override string Name => nameof(Nf4MatMul);

    /// <param name="x">(…, in) in the layer's compute dtype.</param>
    /// <returns>(…, out)</returns>
    public static Tensor Apply(Tensor x, Nf4Linear layer) => apply(x, layer);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, layer) = ((Tensor)vars[0], (Nf4Linear)vars[1]);
        ctx.save_data(LayerKey, layer);
        using var scope = NewDisposeScope();
        var w = layer.DequantizedWeight();                                    // (out, in), freed when the scope ends
        return nn.functional.linear(x, w).MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var layer = (Nf4Linear)ctx.get_data(LayerKey);
        using var scope = NewDisposeScope();
        var w = layer.DequantizedWeight();                                    // (out, in)
        var gradInput = grad_output.matmul(w).MoveToOuterDisposeScope();      // (…, out)·(out, in) → (…, in)
        return [gradInput, null!];
    }
}
