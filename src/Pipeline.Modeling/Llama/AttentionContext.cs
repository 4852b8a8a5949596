using static TorchSharp.torch;

namespace Pipeline.Modeling.Llama;

/// <summary>What every attention layer of one forward pass shares.</summary>
/// <param name="Cos">(B, 1, T, headDim) rotary cosines.</param>
/// <param name="Sin">(B, 1, T, headDim) rotary sines, the first half negated (see <see cref="RotaryEmbedding.Apply"/>).</param>
/// <param name="Mask">(B, 1, T, S) bool, or null for plain causal attention.</param>
/// <param name="Cache">Where each layer appends its keys and values, or null.</param>
public sealed record AttentionContext(Tensor Cos, Tensor Sin, Tensor? Mask, KvCache? Cache);
