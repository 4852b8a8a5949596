using Pipeline.Modeling.Adapters;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Quantization;

/// <summary>
/// A frozen linear layer whose weight is stored in NF4 (buffers, not parameters: nothing here trains) and
/// dequantized in the compute dtype at every forward: y = x·Wᵀ + b computed in <see cref="ComputeDtype"/>,
/// returned in the input's dtype (as bitsandbytes' Linear4bit does).
/// </summary>
public sealed class Nf4Linear : nn.Module<Tensor, Tensor>
{
    // Registered as buffers by RegisterComponents, so .to(device) moves them; unused ones stay null.
    // The float32 scales keep their dtype through model.to(dtype) (see _to below).
    private Tensor weight_nf4;
    private Tensor? absmax;
    private Tensor? absmax_codes;
    private Tensor? nested_absmax;
    private Tensor? absmax_offset;
    private readonly Parameter? bias;
    private readonly int blockSize;
    private readonly int scaleBlockSize;

    private Nf4Linear(Nf4Weight weight, Tensor? bias, ScalarType computeDtype, ScalarType originalDtype) : base(nameof(Nf4Linear))
    {
        if (weight.Shape.Length != 2)
            throw new ArgumentException($"Nf4Linear needs a 2-D (out, in) weight; got shape [{string.Join(", ", weight.Shape)}].");
        // The module owns its buffers from here on: a dispose scope around the construction must not free them.
        weight_nf4 = weight.Packed.DetachFromDisposeScope();
        absmax = weight.Absmax?.DetachFromDisposeScope();
        absmax_codes = weight.AbsmaxCodes?.DetachFromDisposeScope();
        nested_absmax = weight.NestedAbsmax?.DetachFromDisposeScope();
        absmax_offset = weight.AbsmaxOffset?.DetachFromDisposeScope();
        blockSize = weight.BlockSize;
        scaleBlockSize = weight.ScaleBlockSize;
        OutFeatures = weight.Shape[0];
        InFeatures = weight.Shape[1];
        ComputeDtype = computeDtype;
        OriginalDtype = originalDtype;
        this.bias = bias is null ? null : new Parameter(bias.detach().clone(), requires_grad: false);
        RegisterComponents();
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }

    /// <summary>The dtype the weight is dequantized to and the product computed in (float32 or bfloat16).</summary>
    public ScalarType ComputeDtype { get; }

    /// <summary>The dtype of the weight before quantization, which unloading restores.</summary>
    public ScalarType OriginalDtype { get; }

    public Parameter? Bias => bias;

    /// <summary>The stored weight (a view of this module's buffers).</summary>
    public Nf4Weight Weight => new([OutFeatures, InFeatures], blockSize, weight_nf4, absmax, absmax_codes, nested_absmax, absmax_offset, scaleBlockSize);

    /// <summary>Quantizes <paramref name="linear"/>'s weight; the bias is copied as a frozen parameter. The linear is left untouched.</summary>
    public static Nf4Linear FromLinear(Linear linear, ScalarType computeDtype, Nf4Options? options = null)
    {
        if (computeDtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Float64))
            throw new AdapterConfigException($"qlora: compute_dtype: {computeDtype} is not a floating type; use float32 or bfloat16.");
        var weight = linear.weight!;
        using var _ = no_grad();
        return new Nf4Linear(Nf4Quantizer.Quantize(weight, options), linear.bias, computeDtype, weight.dtype);
    }

    /// <summary>
    /// Whether training dequantizes the weight again in backward instead of keeping it in the autograd graph
    /// (<see cref="Nf4MatMul"/>), default <see cref="Nf4BackwardMode.Auto"/>: whichever keeps less memory. Keeping the
    /// compute-dtype weight of every layer until backward costs as much as the unquantized model.
    /// </summary>
    public Nf4BackwardMode Backward { get; set; } = Nf4BackwardMode.Auto;

    /// <summary>(…, in) → (…, out)</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var input = x.to(ComputeDtype);
        Tensor y;
        if (is_grad_enabled() && input.requires_grad && RecomputesFor(input))
        {
            y = Nf4MatMul.Apply(input, this);
            if (bias is not null) y = y + bias.to(ComputeDtype);
        }
        else y = nn.functional.linear(input, DequantizedWeight(), bias?.to(ComputeDtype));
        return y.to(x.dtype).MoveToOuterDisposeScope();
    }

    private bool RecomputesFor(Tensor input) => Backward switch
    {
        Nf4BackwardMode.Recompute => true,
        Nf4BackwardMode.KeepWeight => false,
        _ => input.numel() / InFeatures < InFeatures,                       // rows × out (kept output buffer) < in × out (weight)
    };

    /// <summary>The weight dequantized to <see cref="ComputeDtype"/>: (out, in).</summary>
    internal Tensor DequantizedWeight() => Nf4Quantizer.Dequantize(Weight, ComputeDtype);

    /// <summary>
    /// A plain Linear holding the dequantized weight (plus <paramref name="delta"/>, if given) in <paramref name="dtype"/>
    /// (null: <see cref="OriginalDtype"/>).
    /// </summary>
    public Linear Dequantized(Tensor? delta = null, ScalarType? dtype = null)
    {
        using var _ = no_grad();
        var weight = Nf4Quantizer.Dequantize(Weight, ScalarType.Float32);
        if (delta is not null) weight = weight + delta.to(ScalarType.Float32);
        var linear = nn.Linear(InFeatures, OutFeatures, hasBias: bias is not null, device: weight_nf4.device, dtype: dtype ?? OriginalDtype);
        linear.weight!.copy_(weight);
        if (bias is not null) linear.bias!.copy_(bias);
        return linear;
    }

    // model.to(bfloat16) converts every floating buffer, and rounding the float32 scales would add error to every
    // weight; bitsandbytes keeps them in float32 whatever the model's dtype. So only the bias follows the dtype.
    protected override nn.Module _to(ScalarType dtype, bool non_blocking)
    {
        var scales = KeepScales(device: null);
        base._to(dtype, non_blocking);
        RestoreScales(scales);
        return this;
    }

    protected override nn.Module _to(Device device, ScalarType dtype, bool non_blocking)
    {
        var scales = KeepScales(device);
        base._to(device, dtype, non_blocking);
        RestoreScales(scales);
        return this;
    }

    private (Tensor? Absmax, Tensor? Nested, Tensor? Offset) KeepScales(Device? device) =>
        (Copy(absmax, device), Copy(nested_absmax, device), Copy(absmax_offset, device));

    private void RestoreScales((Tensor? Absmax, Tensor? Nested, Tensor? Offset) scales)
    {
        absmax = Restore(nameof(absmax), scales.Absmax);
        nested_absmax = Restore(nameof(nested_absmax), scales.Nested);
        absmax_offset = Restore(nameof(absmax_offset), scales.Offset);
    }

    private static Tensor? Copy(Tensor? scale, Device? device = null) => scale?.detach().to(device ?? scale.device).clone().DetachFromDisposeScope();

    private Tensor? Restore(string name, Tensor? scale)
    {
        if (scale is not null) ConditionallyRegisterBuffer(name, scale, true);
        return scale;
    }
}
