using Pipeline.Bench;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Modeling.Quantization;
using Spectre.Console;

namespace Pipeline.Bench.Modeling;

/// <summary>Runs every measurement in its own child process and prints the three tables.</summary>
public static class ModelingBench
{
    // "qlora-keep": QLoRA with the dequantized weights kept for backward, the baseline for QLoRA's recompute-in-backward.
    private static readonly (string Method, string Dtype)[] TrainingConfigurations =
    [
        ("full", "fp32"), ("lora", "fp32"), ("qlora-keep", "fp32"), ("qlora", "fp32"),
        ("full", "bf16"), ("lora", "bf16"), ("qlora-keep", "bf16"), ("qlora", "bf16"),
    ];

    public static int Run(BenchSettings settings)
    {
        _ = settings.ModelConfig();   // a bad --hidden or --layers is reported here, before any child starts
        var clock = Stopwatch.StartNew();
        var loadAtStart = BenchMachine.LoadAverage();
        var childArguments = settings.ToArguments().ToList();
        var timeout = TimeSpan.FromMinutes(30);   // generous: a loaded machine stretches every figure

        Progress("baseline process");
        var baseline = ChildProcess.Run<BaselineMeasurement>(["child-baseline", .. childArguments], timeout);
        var training = new List<(string Method, string Dtype, TrainingMeasurement? Result, string? Error)>();
        foreach (var (method, dtype) in TrainingConfigurations)
        {
            Progress($"training {method} {dtype}");
            try
            {
                string[] methodArguments = method == "qlora-keep" ? ["--method", "qlora", "--keep-dequantized"] : ["--method", method];
                training.Add((method, dtype, ChildProcess.Run<TrainingMeasurement>(["child-train", .. methodArguments, "--dtype", dtype, .. childArguments], timeout), null));
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                training.Add((method, dtype, null, ex.Message));
            }
        }
        Progress("generation fp32");
        var generation = ChildProcess.Run<GenerationMeasurement>(["child-generate", "--dtype", "fp32", .. childArguments], timeout);

        // Tables are wider than 80 columns; a redirected console would wrap them cell by cell.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        PrintHeader(settings, baseline, training.Select(t => t.Result).OfType<TrainingMeasurement>().FirstOrDefault(), loadAtStart, clock.Elapsed);
        PrintTraining(settings, training);
        PrintGeneration(generation);
        PrintMemory(baseline, training);
        return 0;
    }

    private static void Progress(string what) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}…");

    private static void PrintHeader(BenchSettings settings, BaselineMeasurement baseline, TrainingMeasurement? any, string loadAtStart, TimeSpan elapsed)
    {
        var config = settings.ModelConfig();
        AnsiConsole.MarkupLine("[bold]Model-core benchmark[/] (bench/Pipeline.Bench.Modeling)");
        AnsiConsole.WriteLine($"machine: {BenchMachine.CpuName()}, {Environment.ProcessorCount} logical cores; libtorch {baseline.TorchVersion}, {baseline.Threads} intra-op threads per process");
        AnsiConsole.WriteLine($"load average at start: {loadAtStart}; at end: {BenchMachine.LoadAverage()}; whole run {elapsed.TotalMinutes:0.0} min");
        AnsiConsole.WriteLine($"model: Llama-shaped, {(any is null ? "?" : (any.BaseParameters / 1e6).ToString("0.0", CultureInfo.InvariantCulture))}M parameters " +
            $"(hidden {config.HiddenSize}, {config.NumLayers} layers, {config.NumHeads} heads / {config.NumKvHeads} kv, MLP {config.IntermediateSize}, vocab {config.VocabSize}, tied embeddings), random init");
        AnsiConsole.WriteLine();
    }

    private static void PrintTraining(BenchSettings settings, List<(string Method, string Dtype, TrainingMeasurement? Result, string? Error)> rows)
    {
        var tokens = settings.Batch * settings.SequenceLength;
        AnsiConsole.MarkupLine($"[bold](a) Training step[/]: {settings.Batch}×{settings.SequenceLength} = {tokens} tokens, forward + backward + AdamW; " +
            $"median of {settings.TimedSteps} timed steps after {settings.WarmUpSteps} warm-up. LoRA/QLoRA: r {settings.LoraRank}, alpha {2 * settings.LoraRank}, all linear layers.");
        var table = new Table().AddColumns("method", "dtype", "trainable", "step s", "tokens/s", "vs full",
            "6N·tok/s GFLOP/s", $"roof GFLOP/s ({settings.MatmulSize}³ matmul)", "MFU", "loss first → last");
        foreach (var (method, dtype, r, error) in rows)
        {
            if (r is null)
            {
                table.AddRow(method, dtype, "[red]failed[/]", Markup.Escape(Truncate(error!, 60)), "", "", "", "", "", "");
                continue;
            }
            var full = rows.FirstOrDefault(x => x.Method == "full" && x.Dtype == dtype).Result;
            table.AddRow(method, dtype, Millions(r.TrainableParameters), F(r.StepSeconds, "0.00"), F(r.TokensPerSecond, "0"),
                full is null ? "-" : F(r.TokensPerSecond / full.TokensPerSecond, "0.00") + "×",
                F(6.0 * r.BaseParameters * r.TokensPerSecond / 1e9, "0.0"), F(r.RoofFlops / 1e9, "0.0"), F(100 * r.Mfu, "0.0") + "%",
                $"{F(r.FirstLoss, "0.000")} → {F(r.LastLoss, "0.000")}");
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"MFU = 6·N·tokens/s ÷ roof, N = the base model's parameters, roof = FLOP/s of a {settings.MatmulSize}³ matmul in the row's dtype, timed in the row's own process before and after its steps (the higher kept). " +
            "LoRA/QLoRA skip the frozen weights' gradients (≈4N real FLOPs per token), so their 6N figure is full-fine-tuning-equivalent throughput.");
        AnsiConsole.WriteLine("bf16: parameters, activations, gradients and AdamW state in bfloat16 (no autocast in TorchSharp, no fp32 master weights); " +
            "QLoRA dequantizes its NF4 base to the row's dtype at every matmul.");
        AnsiConsole.WriteLine();
    }

    private static void PrintGeneration(GenerationMeasurement g)
    {
        AnsiConsole.MarkupLine($"[bold](b) Generation[/]: greedy, batch 1, {g.PromptTokens}-token prompt, {g.NewTokens} new tokens, {g.Dtype}, " +
            $"{Millions(g.Parameters)} parameters; both runs in one process.");
        var table = new Table().AddColumns("decoding", "seconds", "tokens/s", "vs without cache");
        table.AddRow("with KV cache", F(g.CachedSeconds, "0.00"), F(g.CachedTokensPerSecond, "0.0"), F(g.UncachedSeconds / g.CachedSeconds, "0.0") + "×");
        table.AddRow("baseline: without cache (whole sequence each step)", F(g.UncachedSeconds, "0.00"), F(g.UncachedTokensPerSecond, "0.0"), "1.0×");
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"same {g.NewTokens} tokens from both: {(g.SameTokens ? "yes" : "NO")}");
        AnsiConsole.WriteLine();
    }

    private static void PrintMemory(BaselineMeasurement baseline, List<(string Method, string Dtype, TrainingMeasurement? Result, string? Error)> rows)
    {
        AnsiConsole.MarkupLine("[bold](c) Memory[/]: bytes per base parameter and training-step peak, each configuration in its own process.");
        var table = new Table().AddColumns("method", "dtype", "model bytes / base param", "NF4 bytes / quantized weight",
            "weights + grads + AdamW", "resident before steps", "peak resident in steps", "peak − baseline");
        table.AddRow("baseline: runtime + libtorch, no model", "-", "-", "-", "-", MiB(baseline.Resident), MiB(baseline.Resident), "0");
        foreach (var (method, dtype, r, _) in rows)
        {
            if (r is null) continue;
            table.AddRow(method, dtype, F((double)r.ModelBytes / r.BaseParameters, "0.000"),
                r.QuantizedBytesPerWeight is { } q ? F(q, "0.000") : "-", MiB(r.TrainingStateBytes), MiB(r.ResidentBeforeSteps),
                MiB(r.PeakDuringSteps) + (r.PeakWasReset ? "" : " (process lifetime)"), MiB(r.PeakDuringSteps - baseline.Resident));
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine("model bytes: parameters + buffers after the method is applied (QLoRA: NF4 codes and scales of every linear layer; " +
            "embeddings and norms stay in the dtype). weights + grads + AdamW: summed from the tensors (AdamW: 2 moments per trainable element).");
        AnsiConsole.WriteLine("resident = the process's resident set (managed heap + libtorch's native tensors + code), read from the OS; " +
            "the peak is reset (/proc/self/clear_refs) after set-up, so QLoRA's transient full-precision load is not in it; it includes activations.");
        AnsiConsole.WriteLine("qlora-keep: QLoRA with each layer's dequantized weight kept in the autograd graph for backward (a plain matmul); " +
            "qlora dequantizes again in backward (Nf4MatMul), so no full-precision weight outlives its layer's forward.");
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Millions(long value) => F(value / 1e6, value < 10_000_000 ? "0.00" : "0.0") + "M";

    private static string MiB(long bytes) => F(bytes / 1048576.0, "0") + " MiB";

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";

}
