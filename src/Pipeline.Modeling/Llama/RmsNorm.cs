using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Llama;

/// <summary>
/// Root-mean-square layer norm (TorchSharp has none): x / sqrt(mean(x²) + eps) · weight, computed in
/// float32 and cast back before the weight, exactly as transformers' LlamaRMSNorm does.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public RmsNorm(long size, double eps) : base(nameof(RmsNorm))
    {
        weight = new Parameter(ones(size));
        this.eps = eps;
        RegisterComponents();
    }

    public Parameter Weight => weight;

    public double Eps => eps;

    public override Tensor forward(Tensor x)
    {
        // No casts for float32 input and the scalar steps in place: a decode step runs this twice per layer on one token.
        var x32 = x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
        var variance = x32.pow(2).mean([-1], keepdim: true);       // (…, 1)
        var normalized = x32 * variance.add_(eps).rsqrt_();
        return weight * (x.dtype == ScalarType.Float32 ? normalized : normalized.to(x.dtype));
    }
}
