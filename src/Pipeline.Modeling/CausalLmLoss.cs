using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling;

/// <summary>The language-modelling loss as transformers computes it.</summary>
public static class CausalLmLoss
{
    /// <summary>Label value that takes no part in the loss (prompt tokens, padding).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>
    /// Mean cross-entropy of logits[:, t] against labels[:, t + 1] over every position whose label is not
    /// <see cref="IgnoreIndex"/>, computed in float32 whatever the logits' dtype. NaN when every label is ignored
    /// (as in transformers), so an empty batch is visible rather than silently zero.
    /// </summary>
    /// <param name="logits">(B, T, V)</param>
    /// <param name="labels">(B, T) int64</param>
    public static Tensor Compute(Tensor logits, Tensor labels)
    {
        var vocab = logits.shape[2];
        var shiftedLogits = logits[.., ..^1, ..].reshape(-1, vocab).to(ScalarType.Float32);   // (B·(T-1), V)
        var shiftedLabels = labels[.., 1..].reshape(-1).to(ScalarType.Int64);               // (B·(T-1))
        return nn.functional.cross_entropy(shiftedLogits, shiftedLabels, ignore_index: IgnoreIndex);
    }
}
