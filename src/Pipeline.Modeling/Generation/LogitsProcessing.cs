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
    /// <summary>
    /// <see cref="TopP"/> without sorting the whole vocabulary: the nucleus is found on a slice of
    /// <paramref name="candidates"/> tokens per row (<c>topk</c>), either the most likely ones (<paramref name="fromTop"/>:
    /// exact when the slice's probability reaches p, as for a peaked distribution) or the least likely ones (exact when the
    /// slice holds the whole removed tail of mass ≤ 1 − p, as for a flat one). Rows where the slice does not decide get the
    /// full sort, so the result is <see cref="TopP"/>'s on every row.
    /// </summary>
    public static Tensor TopPPrefiltered(Tensor logits, double p, int candidates, bool fromTop = true) =>
        TopPPrefiltered(logits, p, candidates, fromTop, out _);

    /// <param name="fellBack">Rows that needed the full sort.</param>
    public static Tensor TopPPrefiltered(Tensor logits, double p, int candidates, bool fromTop, out long fellBack)
    {
        fellBack = 0;
        if (p >= 1.0) return logits;
        if (candidates <= 0 || candidates >= logits.shape[1]) return TopP(logits, p);
        var (_, ids, removeSlice, decided) = NucleusOnSlice(logits, p, candidates, fromTop);
        // Outside the slice: removed when it holds the most likely tokens, kept when it holds the least likely.
        var remove = (fromTop ? ones_like(logits, ScalarType.Bool) : zeros_like(logits, ScalarType.Bool)).scatter_(1, ids, removeSlice);
        var filtered = logits.masked_fill(remove, double.NegativeInfinity);
        fellBack = logits.shape[0] - decided.sum().item<long>();                           // the one host read
        if (fellBack == 0) return filtered;
        var undecided = decided.logical_not().nonzero().squeeze(1);                        // (F) rows
        return filtered.index_copy(0, undecided, TopP(logits.index_select(0, undecided), p));
    }

    /// <summary>
    /// A draw from <see cref="TopP"/>(<paramref name="logits"/>, p)'s distribution without building it over the
    /// vocabulary: where the slice decides, the kept candidates' probabilities are the weights; other rows are drawn
    /// after the full sort.
    /// </summary>
    /// <returns>(B) int64 token ids.</returns>
    internal static Tensor SampleTopPPrefiltered(Tensor logits, double p, int candidates, bool fromTop, Generator? random, out long fellBack)
    {
        fellBack = 0;
        if (p >= 1.0 || candidates <= 0 || candidates >= logits.shape[1])
            return TopP(logits, p).softmax(1).multinomial(1, generator: random).squeeze(1);
        var (probabilities, ids, removeSlice, decided) = NucleusOnSlice(logits, p, candidates, fromTop);
        fellBack = logits.shape[0] - decided.sum().item<long>();                           // the one host read
        if (fellBack == logits.shape[0]) return TopP(logits, p).softmax(1).multinomial(1, generator: random).squeeze(1);
        // Rows that fall back draw from their whole slice (a defined draw, replaced below: their removal may cover the slice).
        var weights = probabilities.masked_fill(removeSlice.logical_and(decided.unsqueeze(1)), 0);   // (B, C), multinomial normalizes
        var chosen = ids.gather(1, weights.multinomial(1, generator: random)).squeeze(1);  // (B)
        if (fellBack == 0) return chosen;
        var undecided = decided.logical_not().nonzero().squeeze(1);                        // (F) rows
        var full = TopP(logits.index_select(0, undecided), p).softmax(1).multinomial(1, generator: random).squeeze(1);
        return chosen.index_copy(0, undecided, full);
    }

    /// <summary>The slice's probabilities (over the whole vocabulary) and ids, which of them top-p removes, and (B) whether the slice decides the row.</summary>
    private static (Tensor Probabilities, Tensor Ids, Tensor RemoveSlice, Tensor Decided) NucleusOnSlice(Tensor logits, double p, int candidates, bool fromTop)
    {
        // softmax, not exp/logsumexp: measured (decode-probe) at ~2 µs on a (1, 1k) row where exp and logsumexp took
        // milliseconds on a loaded 2-core machine (they enter a threaded kernel whose second thread must be scheduled).
        var (probabilities, ids) = logits.softmax(1).topk(candidates, dim: 1, largest: fromTop);   // (B, C) descending or ascending
        var cumulative = probabilities.cumsum(1);
        if (fromTop)
        {
            // Descending, a token stays while the mass before it is below p (TopP's ascending rule said from the top);
            // every token outside the slice has at least the slice's mass before it: removed once that reaches p.
            return (probabilities, ids, cumulative.sub(probabilities).ge(p), cumulative[.., ^1].ge(p));
        }
        // Ascending, TopP's own rule; every token outside the slice has more than the slice's mass up to it: kept once that exceeds 1 − p.
        return (probabilities, ids, cumulative.le(1 - p), cumulative[.., ^1].gt(1 - p));
    }
}
