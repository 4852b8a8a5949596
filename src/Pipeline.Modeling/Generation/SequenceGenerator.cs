using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Generation;

/// <summary>
/// Batched autoregressive decoding: prompts are left-padded to a common length (so every row's next token
/// sits in the last column) and prefilled together; then each step feeds one token per row against a KV cache
/// preallocated for batch × (longest prompt + new tokens) and written in place (see <see cref="DecodingBatch"/>).
/// Finished rows leave the batch once an eighth of it has finished, so a long tail costs only its own rows.
/// </summary>
public static class SequenceGenerator
{
    public static IReadOnlyList<GeneratedSequence> Generate(CausalLanguageModel model, IReadOnlyList<int[]> prompts, GenerationOptions options)
    {
        options.Validate();
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("Every prompt needs at least one token (e.g. BOS).", nameof(prompts));
        if (options.MaxNewTokens == 0) return [.. prompts.Select(_ => new GeneratedSequence([], [], FinishReason.MaxNewTokens))];

        var device = model.parameters().First().device;
        var random = options.Seed is { } seed ? new Generator((ulong)seed, device) : null;
        var wasTraining = model.training;
        model.eval();
        using var noGrad = no_grad();
        try
        {
            return options.UseCache ? Decode(model, prompts, options, random) : Recompute(model, prompts, options, random);
        }
        finally
        {
            model.train(wasTraining);
            random?.Dispose();
        }
    }

    private static IReadOnlyList<GeneratedSequence> Decode(CausalLanguageModel model, IReadOnlyList<int[]> prompts, GenerationOptions options, Generator? random)
    {
        using var batch = new DecodingBatch(model, prompts.Count, prompts.Max(p => p.Length) + options.MaxNewTokens, random, options.Profile)
        {
            TrackRepetitions = options.RepetitionPenalty != 1.0,
        };
        var rows = batch.Add([.. prompts.Select((p, i) => (p, options, (object?)i))]);
        var finishedSinceCompaction = 0;
        while (batch.Rows.Count > 0)
        {
            // Removing rows copies the cache: wait until an eighth of the batch (at least one row) has finished.
            finishedSinceCompaction = batch.Rows.Count(r => r.Finished is not null);
            if (finishedSinceCompaction == batch.Rows.Count || finishedSinceCompaction >= Math.Max(1, batch.Rows.Count / 8)) batch.RemoveFinished();
            batch.Step();
        }
        return [.. rows.Select(r => r.ToSequence())];
    }

    /// <summary>Without a cache: every step recomputes the whole left-padded sequence (the reference the cached path is checked against).</summary>
    private static IReadOnlyList<GeneratedSequence> Recompute(CausalLanguageModel model, IReadOnlyList<int[]> prompts, GenerationOptions options, Generator? random)
    {
        var state = new DecodingState(prompts, options);
        for (var step = 0; step < options.MaxNewTokens && !state.AllFinished; step++)
        {
            using var scope = NewDisposeScope();
            var inputIds = state.TokenTensor(0, model.parameters().First().device);              // (B, T)
            var mask = state.MaskTensor(inputIds.device);                                        // (B, T)
            var logits = model.Forward(inputIds, mask).Logits[.., ^1, ..].to(ScalarType.Float32);   // (B, V)
            var logProbabilities = logits.log_softmax(1);                                        // (B, V)
            var chosen = Choose(logits, state.PreviousTokens(), options, random);                // (B)
            var chosenLogProbabilities = logProbabilities.gather(1, chosen.unsqueeze(1)).squeeze(1);
            state.Append(chosen.data<long>().ToArray(), chosenLogProbabilities.data<float>().ToArray());
        }
        return state.Results();
    }

    private static Tensor Choose(Tensor logits, IReadOnlyList<IReadOnlyList<long>> previous, GenerationOptions options, Generator? random)
    {
        var scores = LogitsProcessing.RepetitionPenalty(logits, previous, options.RepetitionPenalty);
        if (!options.DoSample) return scores.argmax(1);                                 // (B)
        scores = scores / options.Temperature;
        scores = LogitsProcessing.TopK(scores, options.TopK);
        scores = LogitsProcessing.TopP(scores, options.TopP);
        return scores.softmax(1).multinomial(1, generator: random).squeeze(1);          // (B)
    }
}
