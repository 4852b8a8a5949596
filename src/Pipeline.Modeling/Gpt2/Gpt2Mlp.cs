using Pipeline.Modeling.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Gpt2;

/// <summary>c_proj(gelu_new(c_fc(x))); both Conv1D in the checkpoint, Linear here.</summary>
public sealed class Gpt2Mlp : nn.Module<Tensor, Tensor>
{
    private nn.Module<Tensor, Tensor> c_fc;
    private nn.Module<Tensor, Tensor> c_proj;

    public Gpt2Mlp(ModelConfig config) : base(nameof(Gpt2Mlp))
    {
        c_fc = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: true);
        c_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: true);
        RegisterComponents();
    }

    /// <summary>(B, T, hidden) → (B, T, hidden)</summary>
    public override Tensor forward(Tensor x) => c_proj.call(GeluNew.Apply(c_fc.call(x)));
}
