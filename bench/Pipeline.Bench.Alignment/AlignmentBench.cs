using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Bench;
using Spectre.Console;
using TorchSharp;

namespace Pipeline.Bench.Alignment;

/// <summary>Runs every row in a child process (so each peak resident size is its own) and prints the table.</summary>
public static class AlignmentBench
{
    private static readonly (string Algorithm, string Method)[] Rows =
        [("ppo", "full"), ("ppo", "lora"), ("grpo", "full"), ("grpo", "lora"), ("dpo", "full"), ("dpo", "lora")];

    public static async Task<int> RunAsync()
    {
        var load = BenchMachine.LoadAverage();
        var clock = Stopwatch.StartNew();
        var results = new List<RowResult>();
        foreach (var (algorithm, method) in Rows)
        {
            Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {algorithm} {method}…");
            results.Add(await RunChildAsync(algorithm, method));
        }

        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 220;
        var data = AlignmentData.Create();
        AnsiConsole.MarkupLine("[bold]Alignment steps: PPO, GRPO and DPO, full fine-tuning vs LoRA[/] (bench/Pipeline.Bench.Alignment)");
        AnsiConsole.WriteLine($"machine: {BenchMachine.CpuName()}, {Environment.ProcessorCount} logical cores; libtorch {torch.__version__}; load average at start {load}, at end {BenchMachine.LoadAverage()}; {clock.Elapsed.TotalMinutes:0.0} min");
        AnsiConsole.WriteLine($"model: Llama-shaped, {results[0].PolicyParameters / 1e6:0.0}M parameters (hidden {data.Config.HiddenSize}, {data.Config.NumLayers} layers, vocab {data.Config.VocabSize}), random init, fp32, CPU; " +
            "reward: a reward model of the same size (random score head) plus the house_style rules; LoRA r 16 on q_proj, v_proj");
        AnsiConsole.WriteLine($"ppo: 16 prompts × 1 completion, 2 epochs of mini-batches of 8; grpo: 4 prompts × 4 completions, 1 update; up to 32 new tokens; dpo: 8 pairs a step. " +
            $"Means of {AlignmentRow.TimedSteps} steps after 1 warm-up; each row in its own process.");
        var table = new Table().AddColumns("algorithm", "method", "rollout tok/s", "forward tok/s (same model, 16×96)", "rollout / forward",
            "step s", "rollout", "score", "update", "peak resident MiB", "runtime + data MiB", "training MiB");
        foreach (var r in results)
        {
            var parts = r.RolloutSeconds + r.ScoreSeconds + r.UpdateSeconds;
            string Share(double seconds) => r.Algorithm == "dpo" ? "–" : F(100 * seconds / parts, "0") + "%";
            table.AddRow(r.Algorithm, r.Method, r.Algorithm == "dpo" ? "–" : F(r.RolloutTokensPerSecond, "0"), F(r.ForwardTokensPerSecond, "0"),
                r.Algorithm == "dpo" ? "–" : F(r.RolloutTokensPerSecond / r.ForwardTokensPerSecond, "0.000"),
                F(r.StepSeconds, "0.00"), Share(r.RolloutSeconds), Share(r.ScoreSeconds), r.Algorithm == "dpo" ? "100%" : Share(r.UpdateSeconds),
                F(r.PeakMiB, "0"), F(r.BaselineMiB, "0"), F(r.PeakMiB - r.BaselineMiB, "0"));
        }
        AnsiConsole.Write(table);
        var weights = results[0].PolicyParameters * 4 / 1048576.0;
        AnsiConsole.WriteLine($"One copy of the policy's weights is {weights:0.0} MiB. training MiB = peak resident − resident before the models were built. " +
            "Full fine-tuning holds the policy, a frozen reference copy (dpo: freed after its one pass), AdamW's two moments and the gradients; " +
            "LoRA holds one base (its reference is the same weights with the adapters off) plus the adapters' optimizer state.");
        AnsiConsole.WriteLine("rollout tok/s = completion tokens sampled per second of rollout (KV-cached, batched, left-padded, temperature 1); " +
            "forward tok/s = a no-grad forward pass of the same model over 16 × 96 tokens, the compute limit for those tokens.");
        return 0;
    }

    private static async Task<RowResult> RunChildAsync(string algorithm, string method)
    {
        var self = typeof(AlignmentBench).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [self, "--row", algorithm, method]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"The {algorithm} {method} row failed (exit {process.ExitCode}):\n{errors}\n{output}");
        return JsonSerializer.Deserialize<RowResult>(line)!;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
