using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Quantization;

/// <summary>
/// y = x·Wᵀ for a frozen NF4 weight W that is dequantized in the forward pass and again in the backward pass,
/// so the autograd graph holds no full-precision copy of W between them (what bitsandbytes' MatMul4Bit does).
/// With an ordinary matmul on the dequantized W, autograd keeps W for the input gradient x̄ = ȳ·W: one
/// compute-dtype weight per layer alive until backward, as much memory as the unquantized model. The cost is a
/// second dequantization per layer in backward. W is frozen, so only x gets a gradient.
/// </summary>
/// <remarks>
/// TorchSharp's custom functions keep an output-sized buffer per call until the graph is freed, so this saves
/// memory only where the output (rows × out) is smaller than the weight (in × out): see <see cref="Nf4BackwardMode.Auto"/>.
/// </remarks>
internal sealed class Nf4MatMul : autograd.SingleTensorFunction<Nf4MatMul>
{
    private const string LayerKey = "layer";

    // The input gradient handed to autograd by the previous backward call. Autograd copies the reference when the
    // call returns, so it is released at the next call instead of living until the step's dispose scope ends
    // (backward may also run on a device thread that has no dispose scope at all).
    private static readonly Lock PendingLock = new();
    private static Tensor? PendingGradient;

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
        Tensor gradInput;
        using (var scope = NewDisposeScope())
        {
            var w = layer.DequantizedWeight();                                // (out, in)
            gradInput = grad_output.matmul(w).DetachFromDisposeScope();       // (…, out)·(out, in) → (…, in)
        }
        grad_output.Dispose();                                                // our reference only; autograd holds its own
        lock (PendingLock)
        {
            PendingGradient?.Dispose();
            PendingGradient = gradInput;
        }
        return [gradInput, null!];
    }
}

/// <summary>What an NF4 layer keeps for backward when its input needs a gradient.</summary>
public enum Nf4BackwardMode
{
    /// <summary>
    /// Recompute when the layer's input has fewer rows (tokens) than the layer has input features: then the output-sized
    /// buffer TorchSharp keeps per custom-function call (rows × out) is smaller than the weight (in × out). Real QLoRA
    /// models (hidden ≥ 2048, micro-batches of a few thousand tokens at most) recompute; tiny models with long batches keep.
    /// </summary>
    Auto,

    /// <summary>Always dequantize again in backward (<see cref="Nf4MatMul"/>).</summary>
    Recompute,

    /// <summary>Always keep the dequantized weight in the graph, as a plain matmul does (the memory benchmark's baseline).</summary>
    KeepWeight,
}
