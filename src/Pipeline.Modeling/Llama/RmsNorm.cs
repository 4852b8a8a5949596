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
        var x32 = x.to(ScalarType.Float32);
        var variance = x32.pow(2).mean([-1], keepdim: true);       // (…, 1)
        var normalized = x32 * rsqrt(variance + eps);
        return weight * normalized.to(x.dtype);
    }
}
