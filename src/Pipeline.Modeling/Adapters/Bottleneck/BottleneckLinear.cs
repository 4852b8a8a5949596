using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.Bottleneck;

/// <summary>
/// A sublayer's output projection followed by a bottleneck adapter: h = base(x); y = h + up(f(down(h))). Wrapping the
/// projection (o_proj, down_proj, c_proj) puts the adapter exactly where Houlsby puts it: on the sublayer's output,
/// before the residual add. down (hidden → hidden / r) and up (hidden / r → hidden) are named adapter_down and
/// adapter_up as in AdapterHub. Both are drawn from N(0, 0.01²) with zero biases (Houlsby's near-identity init), so a
/// fresh adapter changes the output by about 1e-4 of its size, and both get gradients from the first step.
/// </summary>
public sealed class BottleneckLinear : nn.Module<Tensor, Tensor>, IAdapterLayer
{
    /// <summary>Standard deviation of the initial projections: small, so the adapter starts near the identity.</summary>
    public const double InitStd = 0.01;

    private readonly Linear base_layer;
    private readonly Linear adapter_down;
    private readonly Linear adapter_up;
    private readonly string nonLinearity;

    public BottleneckLinear(Linear baseLayer, int reductionFactor, string nonLinearity, Generator? generator = null) : base(nameof(BottleneckLinear))
    {
        var weight = baseLayer.weight!;
        var hidden = weight.shape[0];
        if (hidden % reductionFactor != 0)
            throw new AdapterConfigException($"bottleneck: reduction_factor: {reductionFactor} does not divide the sublayer's width {hidden}.");
        var bottleneck = hidden / reductionFactor;
        base_layer = baseLayer;
        this.nonLinearity = nonLinearity;
        adapter_down = nn.Linear(hidden, bottleneck, hasBias: true, device: weight.device, dtype: weight.dtype);
        adapter_up = nn.Linear(bottleneck, hidden, hasBias: true, device: weight.device, dtype: weight.dtype);
        Initialize(generator);
        RegisterComponents();
    }

    public bool AdapterEnabled { get; set; } = true;

    public Linear BaseLayer => base_layer;

    public Linear Down => adapter_down;

    public Linear Up => adapter_up;

    /// <summary>(…, in) → (…, hidden)</summary>
    public override Tensor forward(Tensor x)
    {
        var h = base_layer.call(x);
        if (!AdapterEnabled) return h;
        var bottleneck = Activate(adapter_down.call(h));                                    // (…, hidden / r)
        return h + adapter_up.call(bottleneck);                                               // (…, hidden)
    }

    private Tensor Activate(Tensor x) => nonLinearity switch
    {
        "swish" => nn.functional.silu(x),
        "gelu" => nn.functional.gelu(x),
        _ => nn.functional.relu(x),
    };

    private void Initialize(Generator? generator)
    {
        using var _ = no_grad();
        foreach (var linear in new[] { adapter_down, adapter_up })
        {
            using var initial = empty(linear.weight!.shape, ScalarType.Float32).normal_(0, InitStd, generator);   // on the CPU: same values on any device
            linear.weight!.copy_(initial);
            linear.bias!.zero_();
        }
    }
}
