using Pipeline.Modeling.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Llama;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    private nn.Module<Tensor, Tensor> gate_proj;
    private nn.Module<Tensor, Tensor> up_proj;
    private nn.Module<Tensor, Tensor> down_proj;

    public LlamaMlp(ModelConfig config) : base(nameof(LlamaMlp))
    {
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: config.MlpBias);
        RegisterComponents();
    }

    /// <summary>(B, T, hidden) → (B, T, hidden)</summary>
    public override Tensor forward(Tensor x) =>
        down_proj.call(nn.functional.silu(gate_proj.call(x)) * up_proj.call(x));
}
