using Pipeline.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Training.Sft;

/// <summary>The SFT objective as a sum, so accumulated micro-batches can be averaged over all their tokens at once.</summary>
public static class SftLoss
{
    /// <summary>
    /// Σ over positions t with labels[:, t + 1] ≠ -100 of −log softmax(logits[:, t])[labels[:, t + 1]], in float32.
    /// Divided by the count of such positions it equals <see cref="CausalLmLoss.Compute"/>.
    /// </summary>
    /// <param name="logits">(B, T, V)</param>
    /// <param name="labels">(B, T) int64</param>
    /// <returns>scalar float32</returns>
    public static Tensor TokenSum(Tensor logits, Tensor labels)
    {
        var vocab = logits.shape[2];
        var shiftedLogits = logits[.., ..^1, ..].reshape(-1, vocab).to(ScalarType.Float32);   // (B·(T-1), V)
        var shiftedLabels = labels[.., 1..].reshape(-1);                                   // (B·(T-1))
        return nn.functional.cross_entropy(shiftedLogits, shiftedLabels, ignore_index: CausalLmLoss.IgnoreIndex, reduction: nn.Reduction.Sum);
    }
}
