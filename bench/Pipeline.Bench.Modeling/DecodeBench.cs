using System.Diagnostics;
using System.Globalization;
using Pipeline.Modeling;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Modeling.Generation;
using Spectre.Console;
using static TorchSharp.torch;

namespace Pipeline.Bench.Modeling;

/// <summary>
/// Decoding speed of <see cref="SequenceGenerator"/> at batch 1, 8, 32 and 64, beside two limits measured in the same run:
/// the same model's forward throughput on the same batch (a full-sequence pass: what the hardware does when no step
/// overhead exists) and, for batch 1, memory-copy bandwidth ÷ model bytes (every decode step reads every weight once).
/// Prompts have mixed lengths (left-padded by the generator); sampling uses temperature 0.8 and top-p 0.95; a set of
/// "end" ids worth about 1/32 of the probability mass of a random model stops rows at different steps, as EOS does.
/// </summary>
public static class DecodeBench
{
    public sealed record Shape(string Name, ModelConfig Config);

    public static Shape[] Shapes =>
    [
        // The quickstart's base model: the "tiny" preset over the quickstart's 1,024-token vocabulary, context 128.
        new("quickstart-sized", ModelPresets.Create("tiny", ModelArchitecture.Llama, 1024) with { MaxPositionEmbeddings = 512 }),
        // The benchmark model of the other tables: the "small" preset over Llama 2's 32k vocabulary, about 40M parameters.
        new("40M", ModelPresets.Create("small", ModelArchitecture.Llama, 32_000)),
    ];

    public static int[] Batches { get; private set; } = [1, 8, 32, 64];

    public static int Run(int newTokens, int repeats, IReadOnlyList<string>? models = null, IReadOnlyList<int>? batches = null)
    {
        var shapes = models is null or { Count: 0 } ? Shapes : Shapes.Where(s => models.Contains(s.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (shapes.Length == 0) throw new ArgumentException($"--models: allowed {string.Join(", ", Shapes.Select(s => s.Name))}.");
        if (batches is { Count: > 0 }) Batches = [.. batches];
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        var loadAtStart = BenchMachine.LoadAverage();
        var bandwidth = CopyBandwidth();
        AnsiConsole.MarkupLine("[bold]Decoding benchmark[/] (bench/Pipeline.Bench.Modeling decode)");
        AnsiConsole.WriteLine($"machine: {BenchMachine.CpuName()}, {Environment.ProcessorCount} logical cores, {get_num_threads()} intra-op threads; libtorch {__version__}; fp32");
        AnsiConsole.WriteLine($"memory-copy bandwidth (256 MiB tensor copy, read + write): {bandwidth / 1e9:0.0} GB/s; load average at start {loadAtStart}");
        AnsiConsole.WriteLine($"up to {newTokens} new tokens per row, prompts 4–48 tokens (mixed, left-padded), sampling T 0.8, top-p 0.95, end ids ≈ 1/32 of the vocabulary; best of {repeats}");
        foreach (var shape in shapes) RunShape(shape, newTokens, repeats, bandwidth);
        AnsiConsole.WriteLine($"load average at end: {BenchMachine.LoadAverage()}");
        return 0;
    }

    private static void RunShape(Shape shape, int newTokens, int repeats, double bandwidth)
    {
        using var model = ModelFactory.CreateRandom(shape.Config, seed: 0, dtype: ScalarType.Float32);
        model.eval();
        var parameters = model.parameters().Sum(p => p.numel());
        var modelBytes = parameters * 4.0;
        var vocab = shape.Config.VocabSize;
        var options = new GenerationOptions
        {
            MaxNewTokens = newTokens, DoSample = true, Temperature = 0.8, TopP = 0.95,
            EosTokenIds = [.. Enumerable.Range(vocab - vocab / 32, vocab / 32)], PadTokenId = 0, Seed = 11,
        };
        var table = new Table().AddColumns("batch", "tokens", "end-to-end tok/s", "decode-step tok/s (all rows running)", "forward tok/s (same batch)",
            "% of forward", "matmul ceiling", "bandwidth limit tok/s", "% of limit", "ms per step", "ms per token");
        var profiles = new List<(int Batch, DecodeProfile Profile)>();
        SequenceGenerator.Generate(model, Prompts(1, vocab), options with { MaxNewTokens = 4 });   // warm-up
        foreach (var batch in Batches)
        {
            var prompts = Prompts(batch, vocab);
            var (best, tokens, steps, _) = Best(model, prompts, options, repeats);
            // The steady state the goals speak of: no end ids, so every row runs every step; the prompt pass left out.
            var (_, steadyTokens, _, steady) = Best(model, prompts, options with { EosTokenIds = [] }, repeats);
            var decodeSteps = (steadyTokens - batch) / StepSeconds(steady);                     // each row's first token comes from the prefill
            var forward = ForwardThroughput(model, batch, vocab, repeats);
            var ceiling = MatmulCeiling(model, batch, repeats);
            var limit = batch == 1 ? bandwidth / modelBytes : double.NaN;
            table.AddRow(batch.ToString(), tokens.ToString(), F(tokens / best), F(decodeSteps), F(forward), Pct(decodeSteps / forward), Pct(ceiling),
                batch == 1 ? F(limit) : "", batch == 1 ? Pct(decodeSteps / limit) : "", F(best * 1000 / steps, "0.00"), F(best * 1000 / tokens, "0.000"));
            profiles.Add((batch, steady));
        }
        var c = shape.Config;
        AnsiConsole.MarkupLine($"[bold]{shape.Name}[/]: {parameters / 1e6:0.000}M parameters (hidden {c.HiddenSize}, {c.NumLayers} layers, {c.NumHeads}/{c.NumKvHeads} heads, vocab {c.VocabSize}), {modelBytes / 1e6:0.0} MB fp32");
        AnsiConsole.Write(table);
        if (profiles.Any(p => p.Profile.Steps > 0)) PrintSplit(profiles);
        AnsiConsole.WriteLine("end-to-end = tokens ÷ wall time of the generation with end ids (prompt pass included, rows leaving as they finish); " +
            "decode-step tok/s = tokens after each row's first ÷ time in decode steps, without end ids (every row runs all steps): the figure beside the limits. " +
            "matmul ceiling = the model's own weight products (every projection and lm_head) per row at the batch's rows ÷ per row at 64 × as many, as the forward " +
            "pass runs them: the share of the forward's throughput a decode step could reach if it did nothing but its matmuls.");
    }

    private static void PrintSplit(List<(int Batch, DecodeProfile Profile)> profiles)
    {
        var table = new Table().AddColumns("batch", "steps", "prefill ms", "forward ms/step", "cache update ms/step", "mask+positions ms/step",
            "sampling ms/step", "stop checks ms/step", "host work ms/step");
        foreach (var (batch, p) in profiles)
        {
            double PerStep(TimeSpan t) => t.TotalMilliseconds / Math.Max(1, p.Steps);
            table.AddRow(batch.ToString(), p.Steps.ToString(), F(p.Prefill.TotalMilliseconds, "0.0"), F(PerStep(p.Forward), "0.000"), F(PerStep(p.CacheUpdate), "0.000"),
                F(PerStep(p.MasksAndPositions), "0.000"), F(PerStep(p.Sampling), "0.000"), F(PerStep(p.StopChecks), "0.000"), F(PerStep(p.HostWork), "0.000"));
        }
        AnsiConsole.WriteLine("per-step split of the run without end ids (decode steps after the prefill; cache update = row removal and cache compaction outside the forward):");
        AnsiConsole.Write(table);
    }

    /// <summary>Prompts of 4 to 48 tokens, a different length per row, from a fixed seed.</summary>
    public static List<int[]> Prompts(int batch, int vocab)
    {
        var random = new Random(batch);
        return [.. Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, random.Next(4, 49)).Select(_ => random.Next(1, vocab - vocab / 32)).ToArray())];
    }

    /// <summary>The fastest of <paramref name="repeats"/> generations: wall seconds, tokens, steps (the longest row) and its profile.</summary>
    private static (double Seconds, int Tokens, int Steps, DecodeProfile Profile) Best(CausalLanguageModel model, List<int[]> prompts, GenerationOptions options, int repeats)
    {
        (double Seconds, int Tokens, int Steps, DecodeProfile Profile) best = (double.MaxValue, 0, 0, new DecodeProfile());
        for (var r = 0; r < repeats; r++)
        {
            var profile = new DecodeProfile();
            var clock = Stopwatch.StartNew();
            var result = SequenceGenerator.Generate(model, prompts, options with { Profile = profile });
            var seconds = clock.Elapsed.TotalSeconds;
            if (seconds < best.Seconds) best = (seconds, result.Sum(s => s.TokenIds.Length), result.Max(s => s.TokenIds.Length), profile);
        }
        return best;
    }

    /// <summary>Seconds of a generation's decode steps: everything the profile split records except the prompt pass.</summary>
    private static double StepSeconds(DecodeProfile p) =>
        (p.Forward + p.CacheUpdate + p.MasksAndPositions + p.Sampling + p.StopChecks + p.HostWork).TotalSeconds;

    /// <summary>Tokens/s of a plain forward over (batch, 64) tokens without a cache: the same work per token as decoding, in one call.</summary>
    private static double ForwardThroughput(CausalLanguageModel model, int batch, int vocab, int repeats)
    {
        const int length = 64;
        using var _ = no_grad();
        using var ids = randint(1, vocab, [batch, length], dtype: ScalarType.Int64);
        using (var warm = NewDisposeScope()) model.Forward(ids);
        var best = double.MaxValue;
        for (var r = 0; r < repeats; r++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            model.Forward(ids);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return batch * length / best;
    }

    /// <summary>
    /// Throughput of the model's weight products (x·Wᵀ for every 2-D weight a forward multiplies by: each projection and
    /// lm_head, the tied embedding counted once as the head) at <paramref name="batch"/> rows, as a share of their throughput
    /// at 64 × as many rows (the forward pass's shape): what BLAS gives a decode step at this batch, measured, not assumed.
    /// </summary>
    private static double MatmulCeiling(CausalLanguageModel model, int batch, int repeats)
    {
        using var _ = no_grad();
        var shapes = model.named_parameters()
            .Where(p => p.parameter.dim() == 2 && !p.name.Contains("embed_tokens", StringComparison.Ordinal))
            .Select(p => (Out: p.parameter.shape[0], In: p.parameter.shape[1])).ToList();
        if (model.Config.TieWordEmbeddings) shapes.Add((model.Config.VocabSize, model.Config.HiddenSize));
        double Seconds(long rows)
        {
            var total = 0.0;
            foreach (var group in shapes.GroupBy(s => s))
            {
                using var scope = NewDisposeScope();
                var (x, w) = (randn(rows, group.Key.In), randn(group.Key.Out, group.Key.In) * 0.02);
                nn.functional.linear(x, w);
                var best = double.MaxValue;
                for (var r = 0; r < Math.Max(3, repeats); r++)
                {
                    var clock = Stopwatch.StartNew();
                    nn.functional.linear(x, w).Dispose();
                    best = Math.Min(best, clock.Elapsed.TotalSeconds);
                }
                total += best * group.Count();
            }
            return total;
        }
        return (Seconds(64L * batch) / 64) / Seconds(batch);
    }

    /// <summary>Bytes per second of a large tensor copy, counting the read and the write (STREAM's convention).</summary>
    public static double CopyBandwidth()
    {
        using var source = ones(64L << 20);   // 256 MiB of fp32
        using var target = empty_like(source);
        target.copy_(source);
        var best = double.MaxValue;
        for (var r = 0; r < 5; r++)
        {
            var clock = Stopwatch.StartNew();
            target.copy_(source);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return 2.0 * source.numel() * 4 / best;
    }

    private static string F(double value, string format = "0.0") => double.IsNaN(value) ? "" : value.ToString(format, CultureInfo.InvariantCulture);
    private static string Pct(double ratio) => (100 * ratio).ToString("0", CultureInfo.InvariantCulture) + "%";
}
