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
        using var logits = randn(1, shape.Config.VocabSize) * 0.01;
        using var random = new Generator(3);
        void Time(string name, Func<Tensor> op)
        {
            for (var i = 0; i < 20; i++) using (NewDisposeScope()) op();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 500; i++) using (NewDisposeScope()) op();
            Console.WriteLine($"{name}: {clock.Elapsed.TotalMilliseconds / 500 * 1000:0.0} µs");
        }
        Time("topk 1024", () => logits.topk(1024, dim: 1).values);
        Time("topk 256", () => logits.topk(256, dim: 1).values);
        Time("sort", () => logits.sort(dim: 1).Values);
        Time("softmax", () => logits.softmax(1));
        Time("log_softmax", () => logits.log_softmax(1));
        Time("logsumexp", () => logits.logsumexp(1, keepdim: true));
        Time("cumsum", () => logits.cumsum(1));
        Time("exp", () => logits.exp());
        Time("multinomial", () => logits.softmax(1).multinomial(1, generator: random));
        Time("multinomial no generator", () => logits.softmax(1).multinomial(1));
        Time("argmax", () => logits.argmax(1));
        Time("item", () => { var flag = logits.any().item<bool>(); return logits; });
        Time("add", () => logits + 1);
        var device = logits.device;
        long candidates = shape.Config.VocabSize;
        Time("filter: topk", () => logits.topk((int)candidates, dim: 1).values);
        var (values, candidateIds) = logits.topk((int)candidates, dim: 1);
        var rank = arange(candidates, ScalarType.Int64, device).unsqueeze(0);
        var k = tensor(new[] { candidates }, device: device).unsqueeze(1);
        Time("filter: arange+tensor", () => arange(candidates, ScalarType.Int64, device).unsqueeze(0) + tensor(new[] { candidates }, device: device).unsqueeze(1));
        Time("filter: masked_fill", () => values.masked_fill(rank >= k, double.NegativeInfinity));
        var topK = values.masked_fill(rank >= k, double.NegativeInfinity);
        var hasTopK = tensor(new[] { false }, device: device).unsqueeze(1);
        Time("filter: normalizer", () => where(hasTopK, topK.logsumexp(1, keepdim: true), logits.logsumexp(1, keepdim: true)));
        var normalizer = where(hasTopK, topK.logsumexp(1, keepdim: true), logits.logsumexp(1, keepdim: true));
        Time("filter: probabilities+cumsum", () => (topK - normalizer).exp().cumsum(1));
        var probabilities = (topK - normalizer).exp();
        var cumulative = probabilities.cumsum(1);
        var p = tensor(0.95, cumulative.dtype, cumulative.device);
        Time("filter: keep", () => (cumulative - probabilities < p).logical_or(rank == 0).logical_or(p >= 1.0));
        var keep = (cumulative - probabilities < p).logical_or(rank == 0).logical_or(p >= 1.0);
        Time("filter: final masked_fill", () => topK.masked_fill(keep.logical_not(), double.NegativeInfinity));
        var final = topK.masked_fill(keep.logical_not(), double.NegativeInfinity);
        Time("draw: softmax+multinomial", () => final.softmax(1).multinomial(1, generator: random));
        Time("draw: gather", () => candidateIds.gather(1, final.softmax(1).multinomial(1, generator: random)));
        return 0;
    }

    /// <summary>
    /// Top-p 0.95 and the draw, the full sort (LogitsProcessing.TopP) against the slice (TopPPrefiltered, 256 candidates of
    /// the side that decides), alternating in blocks so both see the same load; best block of 7.
    /// </summary>
    private static void CompareTopP(Generator random)
    {
        foreach (var vocab in new[] { 1024, 32_000 })
            foreach (var (scale, fromTop, candidates) in new[] { (0.02, false, vocab == 1024 ? 256 : 2048), (3.0, true, 256) })
                foreach (var batch in new[] { 1, 8, 32, 64 })
                {
                    using var scope = NewDisposeScope();
                    var logits = randn(batch, vocab) * scale / 0.8;
                    var iterations = vocab == 1024 ? 100 : 10;
                    double Block(Func<Tensor> op)
                    {
                        var clock = Stopwatch.StartNew();
                        for (var i = 0; i < iterations; i++) using (NewDisposeScope()) op().softmax(1).multinomial(1, generator: random);
                        return clock.Elapsed.TotalMilliseconds / iterations;
                    }
                    var (full, sliced) = (double.MaxValue, double.MaxValue);
                    long fellBack = 0;
                    for (var block = 0; block < 7; block++)
                    {
                        full = Math.Min(full, Block(() => LogitsProcessing.TopP(logits, 0.95)));
                        sliced = Math.Min(sliced, Block(() => LogitsProcessing.TopPPrefiltered(logits, 0.95, candidates, fromTop, out fellBack)));
                    }
                    Console.WriteLine($"top-p 0.95 + draw, vocab {vocab}, batch {batch}, logits × {scale}: full sort {full:0.000} ms, " +
                        $"{(fromTop ? "top" : "bottom")} {candidates} slice {sliced:0.000} ms ({fellBack} rows fell back); load {BenchMachine.LoadAverage()}");
                }
    }
}
