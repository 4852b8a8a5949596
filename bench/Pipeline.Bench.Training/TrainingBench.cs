using Pipeline.Bench;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Configuration;
using Pipeline.Contracts;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Spectre.Console;
using TorchSharp;

namespace Pipeline.Bench.Training;

/// <summary>One method's row: both loops on fresh copies of the same randomly initialized model.</summary>
public sealed record MethodMeasurement(string Method, long BaseParameters, StepTimes Ours, StepTimes Bare);

/// <summary>Runs ours and the bare loop for full, LoRA and QLoRA in this process and prints the table.</summary>
public static class TrainingBench
{
    private static readonly (string Name, FineTuningMethod Method)[] Methods =
        [("full", FineTuningMethod.Full), ("lora", FineTuningMethod.Lora), ("qlora", FineTuningMethod.Qlora)];

    public static async Task<int> RunAsync(TrainingBenchSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var loadAtStart = BenchMachine.LoadAverage();
        Progress("support-desk conversations and tokenizer");
        var data = SupportDeskConversations.Create(settings);
        var config = ModelPresets.Create("small", ModelArchitecture.Llama, data.Tokenizer.VocabSize);

        // The roof is timed before and after the loops and the higher kept: on a shared machine one timing can land in a busy moment.
        Progress("matmul roof");
        var roofBefore = MatmulRoof.Measure(settings.MatmulSize);
        var rows = new List<MethodMeasurement>();
        foreach (var (name, method) in Methods)
        {
            Progress($"{name}: SftTrainer");
            var ours = await PipelineSftRun.RunAsync(ModelFactory.CreateRandom(config, seed: 0), data, settings, method);
            Progress($"{name}: bare TorchSharp loop");
            var baseModel = ModelFactory.CreateRandom(config, seed: 0);
            var baseParameters = baseModel.parameters().Sum(p => p.numel());
            var bare = BareTorchSharpLoop.Run(baseModel, data, settings, method);
            rows.Add(new MethodMeasurement(name, baseParameters, ours, bare));
        }
        Progress("packing: padded and packed rows of short conversations");
        var packing = await PackingBench.RunAsync(data, settings);
        var roof = Math.Max(roofBefore, MatmulRoof.Measure(settings.MatmulSize));

        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        AnsiConsole.MarkupLine("[bold]SFT throughput: SftTrainer vs a bare TorchSharp loop[/] (bench/Pipeline.Bench.Training)");
        AnsiConsole.WriteLine($"machine: {BenchMachine.CpuName()}, {Environment.ProcessorCount} logical cores; libtorch {torch.__version__}, {torch.get_num_threads()} intra-op threads");
        AnsiConsole.WriteLine($"load average at start: {loadAtStart}; at end: {BenchMachine.LoadAverage()}; whole run {clock.Elapsed.TotalMinutes:0.0} min");
        AnsiConsole.WriteLine($"model: Llama-shaped, {F(rows[0].BaseParameters / 1e6, "0.0")}M parameters (hidden {config.HiddenSize}, {config.NumLayers} layers, " +
            $"{config.NumHeads} heads / {config.NumKvHeads} kv, MLP {config.IntermediateSize}, vocab {config.VocabSize} = the BPE tokenizer's), random init, fp32, CPU");
        AnsiConsole.WriteLine($"data: {data.Sequences.Count} support-desk conversations (ChatML, house-style replies) that fill {settings.SequenceLength} tokens; " +
            $"batch {settings.Batch} × {settings.SequenceLength} = {settings.TokensPerStep} tokens a step, no padding; median of {settings.TimedSteps} steps after {settings.WarmUpSteps} warm-up");
        AnsiConsole.WriteLine($"LoRA/QLoRA: r {settings.Lora.R}, alpha {settings.Lora.Alpha}, dropout {settings.Lora.Dropout}, all linear layers; QLoRA: NF4 base dequantized to fp32");
        AnsiConsole.WriteLine();

        var table = new Table().AddColumns("method", "ours tokens/s", "bare tokens/s", "ours/bare", "MFU ours", "MFU bare",
            $"roof GFLOP/s ({settings.MatmulSize}³ fp32)", "ours step s", "bare step s", "loss ours first → last", "loss bare first → last");
        foreach (var r in rows)
        {
            var flopsPerToken = (r.Method == "full" ? 6.0 : 4.0) * r.BaseParameters;
            table.AddRow(r.Method, F(r.Ours.TokensPerSecond, "0"), F(r.Bare.TokensPerSecond, "0"), F(r.Ours.TokensPerSecond / r.Bare.TokensPerSecond, "0.00"),
                F(100 * flopsPerToken * r.Ours.TokensPerSecond / roof, "0.0") + "%", F(100 * flopsPerToken * r.Bare.TokensPerSecond / roof, "0.0") + "%",
                F(roof / 1e9, "0.0"), F(r.Ours.MedianSeconds, "0.000"), F(r.Bare.MedianSeconds, "0.000"),
                $"{F(r.Ours.FirstLoss, "0.000")} → {F(r.Ours.LastLoss, "0.000")}", $"{F(r.Bare.FirstLoss, "0.000")} → {F(r.Bare.LastLoss, "0.000")}");
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine("MFU = FLOPs per token × tokens/s ÷ roof. full: 6N (forward 2N, backward 4N). LoRA/QLoRA: 4N, the usual approximation: " +
            "forward 2N and the activation gradients 2N, no weight gradients for the frozen base; the adapters' few FLOPs and QLoRA's dequantization are not counted. " +
            "N = the base model's parameters. roof = best of 5 timings of a 2048³ fp32 matmul, before and after the loops, the higher kept.");
        AnsiConsole.WriteLine("ours = SftTrainer.TrainAsync (step = interval between Progress callbacks); bare = forward with labels, backward, clip_grad_norm_, AdamW step, zero_grad on pre-built batches.");
        AnsiConsole.WriteLine();
        WritePackingTable(packing, settings);
        return 0;
    }

    private static void WritePackingTable(IReadOnlyList<PackingMeasurement> rows, TrainingBenchSettings settings)
    {
        AnsiConsole.MarkupLine($"[bold]SFT packing[/]: 400 single-exchange support-desk conversations, max_seq_length {settings.PackedSequenceLength}, batch {settings.Batch} rows, " +
            $"full fine-tuning, same model; median of {settings.TimedSteps} steps after {settings.WarmUpSteps} warm-up. Baseline: padded rows in the same run.");
        var baseline = rows[0];
        var table = new Table().AddColumns("rows", "rows/epoch", "real tokens/step", "tokens through model/step", "padding", "real tokens/s", "vs padded",
            "step s", "epoch s (est.)", "epoch vs padded");
        foreach (var r in rows)
            table.AddRow(r.Mode, r.Rows.ToString(CultureInfo.InvariantCulture), F(r.RealTokensPerStep, "0"), F(r.PaddedTokensPerStep, "0"),
                F(100 * (1 - r.RealTokensPerStep / r.PaddedTokensPerStep), "0") + "%", F(r.RealTokensPerSecond, "0"),
                F(r.RealTokensPerSecond / baseline.RealTokensPerSecond, "0.00") + "×", F(r.MedianStepSeconds, "0.000"), F(r.EpochSeconds, "0"),
                F(baseline.EpochSeconds / r.EpochSeconds, "0.00") + "× faster");
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine("real tokens = non-padding tokens trained on. tokens through model = batch × longest row of the batch (expected over random batches). " +
            "Packed rows attend only within each conversation (block-diagonal mask, positions restart), so the loss is the unpacked one.");
    }

    private static void Progress(string what) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {what}…");

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

}
