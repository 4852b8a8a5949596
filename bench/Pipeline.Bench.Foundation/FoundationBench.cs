using System.Diagnostics;
using Spectre.Console;

namespace Pipeline.Bench.Foundation;

/// <summary>Runs both benchmarks against the servers named in the environment and prints their tables.</summary>
public static class FoundationBench
{
    public static async Task<int> RunAsync(HandOffOptions handOff, int sizeMiB, int repeats, CancellationToken ct)
    {
        BenchEnvironment environment;
        try
        {
            environment = BenchEnvironment.FromEnvironment();
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 2;
        }

        // Markdown tables must not wrap when the output goes to a file or a pipe (Spectre assumes 80 columns there).
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        // A per-run suffix names the virtual host and the containers, so concurrent runs and other users never meet.
        var runSuffix = Guid.NewGuid().ToString("N")[..10];
        var workDirectory = Path.Combine(Path.GetTempPath(), $"pipeline-bench-{runSuffix}");
        Directory.CreateDirectory(workDirectory);
        var broker = new Uri(environment.RabbitMq).Authority;
        AnsiConsole.MarkupLine(Markup.Escape(
            $"Foundation benchmarks, run {runSuffix}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
        AnsiConsole.MarkupLine(Markup.Escape($"RabbitMQ {broker}, Azurite {BlobEndpoint(environment.Blob)}; {LoadAverage()} at the start"));
        var total = Stopwatch.StartNew();
        try
        {
            var latencies = await HandOffLatencyBench.RunAsync(environment, runSuffix, Path.Combine(workDirectory, "hand-off"), handOff, ct).ConfigureAwait(false);
            var throughput = await ArtifactThroughputBench.RunAsync(environment.Blob, runSuffix, Path.Combine(workDirectory, "artifacts"), sizeMiB, repeats, ct)
                .ConfigureAwait(false);
            AnsiConsole.WriteLine();
            AnsiConsole.Write(ResultTable.HandOff(latencies, broker));
            AnsiConsole.WriteLine();
            AnsiConsole.Write(ResultTable.Throughput(throughput, (long)sizeMiB * 1024 * 1024, repeats));
            AnsiConsole.WriteLine();
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Total {total.Elapsed.TotalSeconds:0.0} s; {LoadAverage()} at the end. {handOff.WarmUp} untimed iterations per host first; " +
                "the three latency measurements of a host are interleaved iteration by iteration."));
            return 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"error: the benchmark stopped after {total.Elapsed.TotalSeconds:0.0} s: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            try { Directory.Delete(workDirectory, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>The machine's run-queue averages: on a shared machine they say how far to trust the figures.</summary>
    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"load average {fields[0]} / {fields[1]} / {fields[2]} (1 / 5 / 15 min)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "load average unavailable";
        }
    }

    private static string BlobEndpoint(string connection) =>
        connection.Split(';').FirstOrDefault(s => s.StartsWith("BlobEndpoint=", StringComparison.OrdinalIgnoreCase))?["BlobEndpoint=".Length..] ?? "(development storage)";
}
