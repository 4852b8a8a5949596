using System.Diagnostics;
using Pipeline.Modeling;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Generation;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Bench.Modeling;

/// <summary>Times one decode step of the quickstart-sized model four ways: growing or preallocated cache × 2-D mask or 4-D mask with positions.</summary>
public static class DecodeProbe
{
    public static int Run()
    {
        using (var sampling = new Generator(5)) CompareTopP(sampling);
        var shape = DecodeBench.Shapes[0];
        using var model = ModelFactory.CreateRandom(shape.Config, seed: 0);
        model.eval();
        using var _ = no_grad();
        foreach (var preallocated in new[] { false, true })
            foreach (var fourD in new[] { false, true })
            {
                for (var round = 0; round < 2; round++)
                {
                    using var cache = preallocated ? KvCache.Preallocate(shape.Config.NumLayers, 1, shape.Config.NumKvHeads, 512, shape.Config.HeadDim, ScalarType.Float32, CPU) : model.CreateCache();
                    var prompt = 16;
                    using (var s = NewDisposeScope()) model.Forward(ones(1, prompt, dtype: ScalarType.Int64), ones(1, prompt, dtype: ScalarType.Int64), cache);
                    const int steps = 200;
                    var clock = Stopwatch.StartNew();
                    for (var step = 0; step < steps; step++)
                    {
                        using var scope = NewDisposeScope();
                        var length = prompt + step + 1;
                        var ids = ones(1, 1, dtype: ScalarType.Int64);
                        if (fourD)
                            model.call(new CausalLmInput(ids, ones(1, 1, 1, length, dtype: ScalarType.Bool), cache, PositionIds: full(1, 1, length - 1, dtype: ScalarType.Int64), LogitsToKeep: 1));
                        else
                            model.Forward(ids, ones(1, length, dtype: ScalarType.Int64), cache);
                    }
                    if (round == 1) Console.WriteLine($"preallocated {preallocated}, 4-D mask {fourD}: {clock.Elapsed.TotalMilliseconds / steps:0.000} ms per step");
                }
            }
        var prompts = DecodeBench.Prompts(1, shape.Config.VocabSize);
        foreach (var (sample, topP) in new[] { (false, 1.0), (true, 1.0), (true, 0.95), (false, 1.0), (true, 1.0), (true, 0.95) })
        {
            var profile = new DecodeProfile();
            var options = new GenerationOptions { MaxNewTokens = 48, DoSample = sample, Temperature = 0.8, TopP = topP, Seed = 1, Profile = profile };
            var clock = Stopwatch.StartNew();
            var tokens = SequenceGenerator.Generate(model, prompts, options)[0].TokenIds.Length;
            Console.WriteLine($"Generate sample={sample} top-p {topP}: {clock.Elapsed.TotalMilliseconds / tokens:0.000} ms per token; forward {profile.Forward.TotalMilliseconds / profile.Steps:0.000}, sampling {profile.Sampling.TotalMilliseconds / profile.Steps:0.000} ms per step");
        }
        return 0;
    }

    /// <summary>
    /// Top-p 0.95 and the draw: transformers' full sort then multinomial (LogitsProcessing.TopP) against the sort-free draw
    /// (NucleusSampling.TopP: an inverse-CDF draw accepted when the mass above it is below p), alternating in blocks so both
    /// see the same load; best block of 7.
    /// </summary>
    private static void CompareTopP(Generator random)
    {
        foreach (var vocab in new[] { 1024, 32_000 })
            foreach (var scale in new[] { 0.02, 3.0 })   // flat (a random model's) and peaked logits
                foreach (var batch in new[] { 1, 8, 32, 64 })
                {
                    using var scope = NewDisposeScope();
                    var logits = randn(batch, vocab) * scale / 0.8;
                    var p = tensor(0.95f);
                    var iterations = vocab == 1024 ? 100 : 10;
                    double Block(Action op)
                    {
                        var clock = Stopwatch.StartNew();
                        for (var i = 0; i < iterations; i++) using (NewDisposeScope()) op();
                        return clock.Elapsed.TotalMilliseconds / iterations;
                    }
                    var (sorted, sortFree) = (double.MaxValue, double.MaxValue);
                    var rounds = 0;
                    for (var block = 0; block < 7; block++)
                    {
                        sorted = Math.Min(sorted, Block(() => LogitsProcessing.TopP(logits, 0.95).softmax(1).multinomial(1, generator: random)));
                        sortFree = Math.Min(sortFree, Block(() => NucleusSampling.TopP(logits.softmax(1), p, random, out rounds)));
                    }
                    Console.WriteLine($"top-p 0.95 + draw, vocab {vocab}, batch {batch}, logits × {scale}: sort + multinomial {sorted:0.000} ms, " +
                        $"sort-free {sortFree:0.000} ms ({rounds} rounds); load {BenchMachine.LoadAverage()}");
                }
    }
}
