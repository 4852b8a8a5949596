using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Generation;

/// <summary>
/// The next token of every row at once, on tensors: repetition penalty, greedy or temperature → top-k → top-p →
/// draw. When every row shares top-k and top-p, <see cref="LogitsProcessing"/>'s filters run on the whole batch (top-p on a
/// slice of the vocabulary, <see cref="LogitsProcessing.TopPPrefiltered(Tensor, double, int, bool)"/>, drawn there); rows
/// with their own settings (the server's requests) are filtered on the k most likely candidates (256 unless a row's
/// top-k asks for more), widened (×4, up to the vocabulary, remembered for the rest of the generation) when some row's
/// nucleus reaches past them, so the result is the same filter.
/// </summary>
internal static class BatchSampler
{

    /// <param name="logits">(B, V) float32 raw logits.</param>
    /// <param name="rows">Each row's settings.</param>
    /// <param name="seen">(B, V) bool: tokens of the prompt and the generated ones, for the repetition penalty; null when no row uses it.</param>
    /// <returns>(B) int64 chosen ids and (B) float32 their raw log-probabilities (temperature 1, no filtering).</returns>
    /// <param name="width">Candidates the nucleus needed so far in this generation (widened when a nucleus does not fit, so a flat
    /// distribution pays the full sort once, not twice per step); null: start from 256 every time.</param>
    public static (Tensor Chosen, Tensor LogProbabilities) Choose(Tensor logits, IReadOnlyList<GenerationOptions> rows, Tensor? seen, Generator? random,
        NucleusWidth? width = null)
    {
        var logProbabilities = logits.log_softmax(1);                                          // (B, V)
        var scores = Penalize(logits, rows, seen);
        Tensor chosen;
        if (rows.Any(r => r.DoSample))
        {
            var scaled = rows.All(r => r.Temperature == 1.0) ? scores : scores / Column(rows, r => r.Temperature, scores);   // (B, V)
            var sampled = Sample(scaled, rows, random, width ?? new NucleusWidth());
            chosen = rows.All(r => r.DoSample) ? sampled : where(Flags(rows, r => r.DoSample, scores.device), sampled, scores.argmax(1));
        }
        else chosen = scores.argmax(1);                                                         // (B) greedy
        return (chosen, logProbabilities.gather(1, chosen.unsqueeze(1)).squeeze(1));
    }

    private static Tensor Penalize(Tensor logits, IReadOnlyList<GenerationOptions> rows, Tensor? seen)
    {
        if (seen is null || rows.All(r => r.RepetitionPenalty == 1.0)) return logits;
        var penalty = Column(rows, r => r.RepetitionPenalty, logits);                           // (B, 1)
        var penalized = where(logits < 0, logits * penalty, logits / penalty);
        return where(seen, penalized, logits);
    }

    private static Tensor Sample(Tensor scaled, IReadOnlyList<GenerationOptions> rows, Generator? random, NucleusWidth width)
    {
        var vocabulary = scaled.shape[1];
        bool Unfiltered(GenerationOptions r) => (r.TopK <= 0 || r.TopK >= vocabulary) && r.TopP >= 1.0;
        if (rows.All(Unfiltered)) return scaled.softmax(1).multinomial(1, generator: random).squeeze(1);   // (B)

        var largestK = rows.Max(r => r.TopK > 0 ? Math.Min(r.TopK, vocabulary) : 0);
        var candidates = rows.Any(Unfiltered) ? vocabulary
            : rows.Any(r => r.TopK <= 0) ? Math.Max(Math.Min(vocabulary, width.Candidates), largestK) : largestK;
        if (rows.All(r => r.TopK == rows[0].TopK && r.TopP == rows[0].TopP))
        {
            // One setting for the whole batch (every SequenceGenerator call): transformers' filters over the batch at once,
            // the nucleus found on a slice of the vocabulary rather than a full sort (LogitsProcessing.TopPPrefiltered: the
            // same filter; rows the slice does not decide get the full sort). The slice is the most likely tokens or the
            // least likely ones, whichever decided most rows the step before.
            var topK = LogitsProcessing.TopK(scaled, rows[0].TopK);
            return rows[0].TopP >= 1.0 ? topK.softmax(1).multinomial(1, generator: random).squeeze(1)   // (B)
                : Nucleus(topK, rows[0].TopK, rows[0].TopP, width, random);
        }
        var filtered = Filter(scaled, rows, candidates);
        while (filtered is null)                                                                // some nucleus is wider than the candidates
        {
            candidates = Math.Min(vocabulary, candidates * 4);
            width.Candidates = (int)candidates;
            filtered = Filter(scaled, rows, candidates);
        }
        var (values, ids) = filtered.Value;
        var draw = values.softmax(1).multinomial(1, generator: random);                          // (B, 1) index into the candidates
        return ids.gather(1, draw).squeeze(1);                                                  // (B)
    }

    private static Tensor Nucleus(Tensor scores, int topK, double p, NucleusWidth width, Generator? random)
    {
        // After top-k only the k best are finite: a slice of the least likely would never decide.
        var fromTop = topK > 0 || width.FromTop;
        // A quarter of a small vocabulary at first (so the slice is cheaper than the sort, and small test models take this path too).
        if (width.SharedCandidates == 0) width.SharedCandidates = (int)Math.Min(256, Math.Max(1, scores.shape[1] / 4));
        var candidates = topK > 0 ? Math.Min(topK, width.SharedCandidates) : width.SharedCandidates;
        var chosen = LogitsProcessing.SampleTopPPrefiltered(scores, p, candidates, fromTop, random, out var fellBack);
        if (fellBack * 2 > scores.shape[0])
        {
            // Most rows needed the full sort: try the other side next step; when both sides fail, a 4× wider slice.
            var wider = (int)Math.Min(scores.shape[1], 4L * candidates);
            if (topK > 0 || !fromTop) width.SharedCandidates = wider;
            if (topK <= 0) width.FromTop = !fromTop;
        }
        return chosen;
    }

    /// <summary>The top <paramref name="candidates"/> scores of each row, −∞ where top-k or top-p removes them; null when a nucleus does not fit.</summary>
    private static (Tensor Values, Tensor Ids)? Filter(Tensor scaled, IReadOnlyList<GenerationOptions> rows, long candidates)
    {
        var device = scaled.device;
        var (values, ids) = scaled.topk((int)candidates, dim: 1);                               // (B, C) descending
        var rank = arange(candidates, ScalarType.Int64, device).unsqueeze(0);                   // (1, C)
        var k = tensor(rows.Select(r => r.TopK > 0 ? Math.Min(r.TopK, candidates) : candidates).ToArray(), device: device).unsqueeze(1);   // (B, 1)
        var topK = values.masked_fill(rank >= k, double.NegativeInfinity);                      // (B, C)
        if (rows.All(r => r.TopP >= 1.0)) return (topK, ids);

        // Probabilities after top-k (transformers renormalizes over the survivors), or over the whole vocabulary.
        var hasTopK = Flags(rows, r => r.TopK > 0, scaled.device).unsqueeze(1);                 // (B, 1)
        var normalizer = where(hasTopK, topK.logsumexp(1, keepdim: true), scaled.logsumexp(1, keepdim: true));
        var probabilities = (topK - normalizer).exp();                                          // (B, C)
        var cumulative = probabilities.cumsum(1);
        var p = Column(rows, r => r.TopP, cumulative);                                          // (B, 1)
        if (candidates < scaled.shape[1])
        {
            var outside = hasTopK.logical_not().logical_and(cumulative[.., ^1..] < p);           // the nucleus reaches past the candidates
            if (outside.any().item<bool>()) return null;
        }
        // Keep a token while the mass before it is below p (the ascending rule "remove cumulative ≤ 1 − p" said from the top).
        var keep = (cumulative - probabilities < p).logical_or(rank == 0).logical_or(p >= 1.0);
        return (topK.masked_fill(keep.logical_not(), double.NegativeInfinity), ids);
    }

    private static Tensor Column(IReadOnlyList<GenerationOptions> rows, Func<GenerationOptions, double> setting, Tensor like)
    {
        var first = setting(rows[0]);
        return rows.All(r => setting(r) == first)
            ? tensor(first, like.dtype, like.device)                                            // one value: broadcasts
            : tensor(rows.Select(r => (float)setting(r)).ToArray(), device: like.device).to(like.dtype).unsqueeze(1);   // (B, 1)
    }

    private static Tensor Flags(IReadOnlyList<GenerationOptions> rows, Func<GenerationOptions, bool> flag, Device device) =>
        tensor(rows.Select(flag).ToArray(), device: device);                                    // (B) bool
}

/// <summary>How many candidates the nucleus of a generation has needed (starts at 256; only grows).</summary>
internal sealed class NucleusWidth
{
    public int Candidates { get; set; } = 256;

    /// <summary>The slice the shared-settings nucleus is looked for in (0 until the first step: then 256, or a quarter of a smaller vocabulary).</summary>
    public int SharedCandidates { get; set; }

    /// <summary>
    /// Whether the shared-settings nucleus is looked for among the most likely tokens (peaked distributions) or the least
    /// likely (flat ones); flips when most rows needed the full sort, and the width grows when both sides did.
    /// </summary>
    public bool FromTop { get; set; } = true;
}
