using Pipeline.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Evaluation;

/// <summary>How <see cref="PerplexityEvaluator"/> cuts and batches documents.</summary>
public sealed record PerplexityOptions
{
    /// <summary>Longest window in tokens; null (default): the model's context, max_position_embeddings.</summary>
    public int? MaxLength { get; init; }

    /// <summary>
    /// New tokens scored per window of a long document; null (default): max length − 1, so each token is scored
    /// once and windows overlap by one token. Smaller gives scored tokens more context (see <see cref="EvaluationWindows"/>).
    /// </summary>
    public int? Stride { get; init; }

    /// <summary>Windows per forward pass (default 4: logits are batch × length × vocabulary floats, the largest tensor here).</summary>
    public int BatchSize { get; init; } = 4;
}

/// <summary>The likelihood of a dataset under a model.</summary>
/// <param name="MeanNegativeLogLikelihood">Mean over scored tokens of −ln p(token | preceding tokens), in nats.</param>
/// <param name="Perplexity">exp of the mean negative log-likelihood: the vocabulary size of a uniform guess with the same loss.</param>
/// <param name="Tokens">Scored tokens.</param>
public sealed record PerplexityResult(double MeanNegativeLogLikelihood, double Perplexity, long Tokens, int Documents, int Windows, int MaxLength, int Stride);

/// <summary>Mean negative log-likelihood per token and perplexity of documents under a causal language model.</summary>
public static class PerplexityEvaluator
{
    public static PerplexityResult Evaluate(CausalLanguageModel model, IReadOnlyList<ScoredSequence> documents, PerplexityOptions options,
        Action<int, int>? progress = null)
    {
        var maxLength = options.MaxLength ?? model.Config.MaxPositionEmbeddings;
        var stride = options.Stride ?? maxLength - 1;
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1");
        if (maxLength > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"max length {maxLength} exceeds the model's context of {model.Config.MaxPositionEmbeddings} tokens (max_position_embeddings).");

        var windows = documents
            .SelectMany(d => EvaluationWindows.Plan(d.Ids.Length, maxLength, stride).Select(w => Labelled(d, w)))
            .Where(w => w.Labels.Any(l => l != CausalLmLoss.IgnoreIndex))
            .ToList();
        if (windows.Count == 0)
            throw new ArgumentException("No token can be scored: every document is a single token, or (completion-only) has no assistant reply.");

        var device = model.parameters().First().device;
        var wasTraining = model.training;
        model.eval();
        double totalNll = 0;
        long totalTokens = 0;
        try
        {
            using var _ = no_grad();
            for (var first = 0; first < windows.Count; first += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = windows.Skip(first).Take(options.BatchSize).ToList();
                var (sum, count) = ScoreBatch(model, batch, device);
                totalNll += sum;
                totalTokens += count;
                progress?.Invoke(first + batch.Count, windows.Count);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        var mean = totalNll / totalTokens;
        return new PerplexityResult(mean, Math.Exp(mean), totalTokens, documents.Count, windows.Count, maxLength, stride);
    }

    /// <summary>The window's ids, and its labels: the id where a position is scored and a target of this window, −100 elsewhere.</summary>
    private static (long[] Ids, long[] Labels) Labelled(ScoredSequence document, EvaluationWindow window)
    {
        var ids = new long[window.End - window.Start];
        var labels = new long[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var position = window.Start + i;
            ids[i] = document.Ids[position];
            labels[i] = position >= window.TargetStart && document.Scored[position] ? ids[i] : CausalLmLoss.IgnoreIndex;
        }
        return (ids, labels);
    }

    /// <summary>Right-pads the windows to a common length (causal attention keeps padding out of real positions) and sums their token NLLs.</summary>
    private static (double Sum, long Count) ScoreBatch(CausalLanguageModel model, List<(long[] Ids, long[] Labels)> batch, Device device)
    {
        var width = batch.Max(w => w.Ids.Length);
        var ids = new long[batch.Count * width];
        var labels = new long[batch.Count * width];
        var mask = new long[batch.Count * width];
        Array.Fill(labels, CausalLmLoss.IgnoreIndex);
        for (var row = 0; row < batch.Count; row++)
        {
            batch[row].Ids.CopyTo(ids, row * width);
            batch[row].Labels.CopyTo(labels, row * width);
            Array.Fill(mask, 1L, row * width, batch[row].Ids.Length);
        }
        var padded = batch.Any(w => w.Ids.Length < width);
        var inputIds = tensor(ids, [batch.Count, width], device: device);                     // (B, T)
        var attention = padded ? tensor(mask, [batch.Count, width], device: device) : null;   // (B, T)
        var targets = tensor(labels, [batch.Count, width], device: device);                   // (B, T)

        var logits = model.Forward(inputIds, attention).Logits;                               // (B, T, V)
        var vocab = logits.shape[2];
        var shiftedLogits = logits[.., ..^1, ..].reshape(-1, vocab).to(ScalarType.Float32);  // (B·(T−1), V)
        var shiftedTargets = targets[.., 1..].reshape(-1);                                    // (B·(T−1))
        var sum = nn.functional.cross_entropy(shiftedLogits, shiftedTargets, ignore_index: CausalLmLoss.IgnoreIndex,
            reduction: nn.Reduction.Sum);
        var count = shiftedTargets.ne(CausalLmLoss.IgnoreIndex).sum();
        return (sum.to(ScalarType.Float64).item<double>(), count.item<long>());
    }
}
