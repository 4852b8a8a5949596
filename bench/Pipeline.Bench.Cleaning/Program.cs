using Pipeline.Bench;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Bench.Cleaning;

// Cleaning benchmark: each cleaning step's MB/s per core and whole ingestion's, beside `wc -w` over the same file in
// the same run (the cheapest pass that reads and splits the same text). Usage: [--size-mb 64] [--shard-mb 8] [--skip-distributed]
var sizeMb = Argument("--size-mb", 64);
var shardMb = Argument("--shard-mb", 8);
var distributed = !args.Contains("--skip-distributed");
if (sizeMb is < 1 or > 4096) return Fail("--size-mb must be between 1 and 4096.");
if (shardMb < 1 || shardMb > sizeMb) return Fail("--shard-mb must be between 1 and --size-mb.");

var work = Path.Combine(Path.GetTempPath(), "pipeline-bench-cleaning");
var corpus = CorpusGenerator.EnsureCorpus(Path.Combine(work, "corpus"), sizeMb * 1_000_000L);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"corpus {corpus}: {new FileInfo(corpus).Length / 1e6:F1} MB; {Environment.ProcessorCount} cores; load average at start {BenchMachine.LoadAverage()}"));

var results = new List<Measurement>();
var baseline = await Baselines.WordCountAsync(corpus);
results.Add(baseline);
results.AddRange(await StepBench.RunAsync(corpus));
results.Add(await IngestBench.SinglePassAsync(corpus, Path.Combine(work, "single")));
results.Add(await IngestBench.ShardCleanerAllCoresAsync(corpus, Path.Combine(work, "shard")));
if (distributed)
    results.AddRange(await DistributedIngestBench.RunAsync(corpus, shardMb * 1024L * 1024, Path.Combine(work, "services")));

Console.WriteLine();
Console.WriteLine($"Cleaning throughput, {new FileInfo(corpus).Length / 1e6:F1} MB of Alpaca JSON Lines (MB = 10^6 bytes of input), load average at end {BenchMachine.LoadAverage()}");
Console.WriteLine();
Console.WriteLine(Measurement.Table(results, baseline));
return 0;

int Argument(string name, int fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}

/// <summary>The baseline: `wc -w` run as a process over the same file (page cache warm from the corpus write).</summary>
internal static class Baselines
{
    public static async Task<Measurement> WordCountAsync(string path)
    {
        // Once untimed, so the file is in the page cache for it as for every step after it.
        await RunAsync(path);
        var watch = Stopwatch.StartNew();
        var words = await RunAsync(path);
        return new Measurement("`wc -w` (baseline: read + split on whitespace)", new FileInfo(path).Length, watch.Elapsed, 1, $"{words} words");
    }

    private static async Task<string> RunAsync(string path)
    {
        var start = new ProcessStartInfo("wc", ["-w", path]) { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start wc");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wc -w {path} exited with {process.ExitCode}");
        return output.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    }
}
