using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Generation;

/// <summary>transformers' logits processors, as pure functions over (B, V) float logits.</summary>
public static class LogitsProcessing
{
    /// <summary>
    /// For every token in a row's <paramref name="previous"/> ids: a positive logit is divided by
    /// <paramref name="penalty"/>, a negative one multiplied, so the token gets less likely either way.
    /// </summary>
    public static Tensor RepetitionPenalty(Tensor logits, IReadOnlyList<IReadOnlyList<long>> previous, double penalty)
    {
        if (penalty == 1.0) return logits;
        // Rows have different lengths: pad each with its own first id (a repeated index scatters the same value).
        var width = previous.Max(p => p.Count);
        var index = new long[previous.Count * width];
        for (var row = 0; row < previous.Count; row++)
            for (var i = 0; i < width; i++)
                index[row * width + i] = previous[row][Math.Min(i, previous[row].Count - 1)];
        var ids = tensor(index, [previous.Count, width], device: logits.device);          // (B, L)
        var scores = logits.gather(1, ids);                                                // (B, L)
        var penalized = where(scores < 0, scores * penalty, scores / penalty);
        return logits.scatter(1, ids, penalized);
    }

    /// <summary>Logits below the k-th largest of their row become −∞ (ties with the k-th survive, as in transformers).</summary>
    public static Tensor TopK(Tensor logits, int k)
    {
        if (k <= 0 || k >= logits.shape[1]) return logits;
        var kth = logits.topk(k, dim: 1).values[.., ^1..];                                // (B, 1)
        return logits.masked_fill(logits < kth, double.NegativeInfinity);
    }

    /// <summary>
    /// Nucleus filter: sorting ascending, tokens whose cumulative probability stays ≤ 1 − p are removed; the
    /// most likely token always stays.
    /// </summary>
    public static Tensor TopP(Tensor logits, double p)
    {
        if (p >= 1.0) return logits;
        var (sorted, order) = logits.sort(dim: 1, descending: false);                      // (B, V) ascending
        var cumulative = sorted.softmax(1).cumsum(1);
        var removeSorted = cumulative <= 1 - p;
        removeSorted[.., ^1..] = tensor(false);                                            // keep the most likely
        var remove = removeSorted.scatter(1, order, removeSorted);                         // back to vocabulary order
        return logits.masked_fill(remove, double.NegativeInfinity);
    }
}
