using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training.Alignment.Ppo;

/// <summary>
/// PPO's critic on the policy's own transformer (TRL's classic AutoModelForCausalLMWithValueHead, v_head.summary):
/// one linear layer from the final hidden state before each token to the value of that state. Sharing the body keeps
/// one copy of the weights in memory, which with LoRA means the critic costs hidden + 1 parameters.
/// </summary>
public sealed class ValueHead : nn.Module<Tensor, Tensor>
{
    public const string WeightName = "v_head.summary.weight";
    public const string BiasName = "v_head.summary.bias";

    private readonly Linear summary;

    /// <param name="initialWeight">(1, hidden) to start from, e.g. the reward model's score.weight (its scores are
    /// what the values predict at the last token); null: zeros, so the first advantages are the rewards themselves.</param>
    public ValueHead(long hidden, Tensor? initialWeight, Device device) : base("v_head")
    {
        summary = nn.Linear(hidden, 1, hasBias: true, device: device, dtype: ScalarType.Float32);
        using (no_grad())
        {
            if (initialWeight is not null && initialWeight.shape.SequenceEqual([1L, hidden])) summary.weight!.copy_(initialWeight.to(ScalarType.Float32));
            else summary.weight!.zero_();
            summary.bias!.zero_();
        }
        RegisterComponents();
    }

    public Parameter Weight => summary.weight!;
    public Parameter Bias => summary.bias!;

    /// <summary>(B, C, hidden) → (B, C) float32 values.</summary>
    public override Tensor forward(Tensor hidden) => summary.call(hidden.to(ScalarType.Float32)).squeeze(-1);
}
