using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Gpt2;

/// <summary>GPT-2's "gelu_new": 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the tanh approximation of GELU.</summary>
public static class GeluNew
{
    public static Tensor Apply(Tensor x) => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh);
}
