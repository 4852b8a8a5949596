using System.Globalization;
using Spectre.Console;

namespace Pipeline.Bench.Foundation;

/// <summary>The two result tables, each figure next to the baseline measured in the same run. Markdown borders, so they paste into notes as they are.</summary>
public static class ResultTable
{
    public static Table HandOff(IReadOnlyList<HandOffResult> results, string broker)
    {
        var table = new Table { Border = TableBorder.Markdown, Title = new TableTitle($"Stage hand-off latency over RabbitMQ ({Markup.Escape(broker)}), sequential, ms") };
        table.AddColumn("measurement");
        foreach (var heading in new[] { "n", "mean", "p50", "p99", "max", "p50 vs raw" })
            table.AddColumn(new TableColumn(heading).RightAligned());
        foreach (var result in results)
        {
            AddLatencyRow(table, "raw ping→pong round trip (baseline, same host as the next two)", result.RawRoundTrip, "baseline");
            AddLatencyRow(table, $"stage-record requests alone (2 reads + 2 conditional writes), {result.StateStore}", result.StateRequests,
                Versus(result.StateRequests, result.RawRoundTrip));
            AddLatencyRow(table, $"stage hand-off RunIngestion→DatasetPrepared, state in {result.StateStore}", result.StageHandOff,
                Versus(result.StageHandOff, result.RawRoundTrip));
        }
        return table;
    }

    public static Table Throughput(IReadOnlyList<ThroughputResult> results, long bytes, int repeats)
    {
        var table = new Table
        {
            Border = TableBorder.Markdown,
            Title = new TableTitle($"Artifact throughput, one {bytes / (1024 * 1024)} MiB random file, median of {repeats} (MiB/s = 2^20 bytes per second)"),
        };
        table.AddColumn("transfer");
        foreach (var heading in new[] { "seconds", "MiB/s", "vs baseline" })
            table.AddColumn(new TableColumn(heading).RightAligned());
        foreach (var result in results)
        {
            // Writes compare with File.Copy, reads with the plain FileStream read: the first baseline of each direction.
            var baseline = results.First(r => r.IsBaseline && r.Direction == result.Direction);
            var versus = result == baseline ? "baseline" : $"{Ratio(result.MiBPerSecond, baseline.MiBPerSecond)} of {baseline.Name}";
            table.AddRow(Markup.Escape(result.Name), result.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture),
                result.MiBPerSecond.ToString("0", CultureInfo.InvariantCulture), Markup.Escape(versus));
        }
        return table;
    }

    private static void AddLatencyRow(Table table, string name, LatencySummary s, string versus) =>
        table.AddRow(Markup.Escape(name), s.Count.ToString(CultureInfo.InvariantCulture), Number(s.MeanMs), Number(s.P50Ms), Number(s.P99Ms),
            Number(s.MaxMs), Markup.Escape(versus));

    private static string Versus(LatencySummary s, LatencySummary raw) =>
        $"{Ratio(s.P50Ms, raw.P50Ms)} ({(s.P50Ms >= raw.P50Ms ? "+" : "")}{Number(s.P50Ms - raw.P50Ms)} ms)";

    private static string Number(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Ratio(double value, double baseline) => (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "×";
}
