using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Bench.Cleaning;

/// <summary>One row of the table: what was measured, over how many bytes, in how long, on how many cores.</summary>
public sealed record Measurement(string Name, long Bytes, TimeSpan Elapsed, double Cores, string Note = "")
{
    public double MegabytesPerSecond => Bytes / 1e6 / Elapsed.TotalSeconds;
    public double PerCore => MegabytesPerSecond / Cores;

    /// <summary>Times <paramref name="work"/> once, after a full garbage collection so earlier steps' garbage is not billed to it.</summary>
    public static async Task<Measurement> TimeAsync(string name, long bytes, double cores, Func<Task> work, string note = "")
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        await work();
        return new Measurement(name, bytes, watch.Elapsed, cores, note);
    }

    public static Measurement Time(string name, long bytes, double cores, Action work, string note = "") =>
        TimeAsync(name, bytes, cores, () => { work(); return Task.CompletedTask; }, note).GetAwaiter().GetResult();

    public static string Table(IReadOnlyList<Measurement> rows, Measurement baseline)
    {
        var lines = new List<string>
        {
            "| step | MB | seconds | MB/s | cores | MB/s per core | per core vs `wc -w` | note |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        };
        foreach (var row in rows)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Name} | {row.Bytes / 1e6:F1} | {row.Elapsed.TotalSeconds:F2} | {row.MegabytesPerSecond:F1} | {row.Cores:0.#} | {row.PerCore:F2} | {(row == baseline ? "baseline" : $"{row.PerCore / baseline.PerCore:P1}")} | {row.Note} |"));
        return string.Join('\n', lines);
    }
}
