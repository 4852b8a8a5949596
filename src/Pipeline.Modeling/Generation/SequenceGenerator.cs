using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Generation;

/// <summary>
/// Batched autoregressive decoding: prompts are left-padded to a common length (so every row's next token
/// sits in the last column), the KV cache holds earlier positions, and each step runs in its own dispose scope.
/// </summary>
public static class SequenceGenerator
{
    public static IReadOnlyList<GeneratedSequence> Generate(CausalLanguageModel model, IReadOnlyList<int[]> prompts, GenerationOptions options)
    {
        options.Validate();
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("Every prompt needs at least one token (e.g. BOS).", nameof(prompts));

        var device = model.parameters().First().device;
        var state = new DecodingState(prompts, options);
        var random = options.Seed is { } seed ? new Generator((ulong)seed, device) : null;
        var wasTraining = model.training;
        model.eval();
        using var cache = options.UseCache ? model.CreateCache() : null;
        using var noGrad = no_grad();
        try
        {
            for (var step = 0; step < options.MaxNewTokens && !state.AllFinished; step++)
            {
                using var scope = NewDisposeScope();
                // 1. feed what the model has not seen: everything without a cache or on the first step, else the last token
                var fromColumn = cache is null || step == 0 ? 0 : state.Length - 1;
                var inputIds = state.TokenTensor(fromColumn, device);                   // (B, T)
                var mask = state.MaskTensor(device);                                    // (B, S)
                var logits = model.Forward(inputIds, mask, cache).Logits[.., ^1, ..].to(ScalarType.Float32);   // (B, V)

                // 2. choose: raw log-probabilities for the record, processed logits for the choice
                var logProbabilities = logits.log_softmax(1);                           // (B, V)
                var chosen = Choose(logits, state.PreviousTokens(), options, random);   // (B)
                var chosenLogProbabilities = logProbabilities.gather(1, chosen.unsqueeze(1)).squeeze(1);

                // 3. append and check the stopping rules
                state.Append(chosen.data<long>().ToArray(), chosenLogProbabilities.data<float>().ToArray());
            }
        }
        finally
        {
            model.train(wasTraining);
            random?.Dispose();
        }
        return state.Results();
    }

    private static Tensor Choose(Tensor logits, IReadOnlyList<IReadOnlyList<long>> previous, GenerationOptions options, torch.Generator? random)
    {
        var scores = LogitsProcessing.RepetitionPenalty(logits, previous, options.RepetitionPenalty);
        if (!options.DoSample) return scores.argmax(1);                                 // (B)
        scores = scores / options.Temperature;
        scores = LogitsProcessing.TopK(scores, options.TopK);
        scores = LogitsProcessing.TopP(scores, options.TopP);
        return scores.softmax(1).multinomial(1, generator: random).squeeze(1);          // (B)
    }
}
