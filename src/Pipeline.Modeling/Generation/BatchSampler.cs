using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Generation;

/// <summary>
/// The next token of every row at once, on tensors: repetition penalty, greedy or temperature → top-k → top-p → draw,
/// each row with its own settings (the server's requests differ; a <see cref="SequenceGenerator"/> call shares one). The
/// nucleus and the draw are <see cref="NucleusSampling"/>'s, without sorting the vocabulary.
/// </summary>
internal static class BatchSampler
{
    /// <param name="logits">(B, V) float32 raw logits.</param>
    /// <param name="rows">Each row's settings.</param>
    /// <param name="seen">(B, V) bool: tokens of the prompt and the generated ones, for the repetition penalty; null when no row uses it.</param>
    /// <returns>(B) int64 chosen ids and (B) float32 their raw log-probabilities (temperature 1, no filtering).</returns>
    public static (Tensor Chosen, Tensor LogProbabilities) Choose(Tensor logits, IReadOnlyList<GenerationOptions> rows, Tensor? seen, Generator? random)
    {
        var logProbabilities = logits.log_softmax(1);                                          // (B, V)
        var scores = Penalize(logits, rows, seen);
        Tensor chosen;
        if (rows.Any(r => r.DoSample))
        {
            var scaled = rows.All(r => r.Temperature == 1.0) ? scores : scores / Column(rows, r => r.Temperature, scores);   // (B, V)
            var probabilities = TopK(scaled, rows).softmax(1);                                  // (B, V)
            var sampled = rows.All(r => r.TopP >= 1.0) ? NucleusSampling.Categorical(probabilities, random)
                : NucleusSampling.TopP(probabilities, Column(rows, r => r.TopP, scaled), random);   // (B)
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

    /// <summary>Each row's scores below its k-th largest become −∞ (ties with the k-th survive, as in transformers); rows without top-k keep all.</summary>
    private static Tensor TopK(Tensor scaled, IReadOnlyList<GenerationOptions> rows)
    {
        var vocabulary = scaled.shape[1];
        int K(GenerationOptions r) => r.TopK > 0 && r.TopK < vocabulary ? r.TopK : 0;
        if (rows.All(r => K(r) == 0)) return scaled;
        if (rows.All(r => K(r) == K(rows[0]))) return LogitsProcessing.TopK(scaled, K(rows[0]));
        var largest = scaled.topk(rows.Max(K), dim: 1).values;                                  // (B, kmax) descending
        var kth = largest.gather(1, tensor(rows.Select(r => (long)Math.Max(K(r) - 1, 0)).ToArray(), device: scaled.device).unsqueeze(1));   // (B, 1)
        var threshold = where(Flags(rows, r => K(r) > 0, scaled.device).unsqueeze(1), kth, tensor(float.NegativeInfinity, kth.dtype, kth.device));
        return scaled.masked_fill(scaled < threshold, double.NegativeInfinity);
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
