using System.Diagnostics;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Generation;
using static TorchSharp.torch;

namespace Pipeline.Bench.Modeling;

/// <summary>
/// Greedy decoding of the same prompt into the same number of new tokens, with the KV cache (each step feeds one token)
/// and without it (each step recomputes the whole sequence): the baseline the cache is measured against. No stop ids,
/// so both produce exactly the requested number of tokens; greedy, so both must produce the same ones.
/// </summary>
public static class GenerationBench
{
    public static GenerationMeasurement Run(BenchSettings settings, ScalarType dtype)
    {
        using var model = ModelFactory.CreateRandom(settings.ModelConfig(), seed: 0, dtype: dtype);
        using var generator = new Generator(3);
        var prompt = randint(1, settings.VocabSize, [settings.PromptTokens], dtype: ScalarType.Int64, generator: generator)
            .data<long>().Select(id => (int)id).ToArray();
        var options = new GenerationOptions { MaxNewTokens = settings.NewTokens, EosTokenIds = [] };

        SequenceGenerator.Generate(model, [prompt], options with { MaxNewTokens = 8 });   // warm-up
        var (cached, cachedSeconds) = Time(() => SequenceGenerator.Generate(model, [prompt], options)[0]);
        var (uncached, uncachedSeconds) = Time(() => SequenceGenerator.Generate(model, [prompt], options with { UseCache = false })[0]);
        return new GenerationMeasurement(dtype == ScalarType.BFloat16 ? "bf16" : "fp32", model.parameters().Sum(p => p.numel()),
            prompt.Length, cached.TokenIds.Length, cachedSeconds, uncachedSeconds, cached.TokenIds.SequenceEqual(uncached.TokenIds));
    }

    private static (GeneratedSequence, double) Time(Func<GeneratedSequence> generate)
    {
        var clock = Stopwatch.StartNew();
        var result = generate();
        return (result, clock.Elapsed.TotalSeconds);
    }
}
