using System.Globalization;
using Pipeline.Contracts;
using Pipeline.Evaluation.Results;
using Pipeline.Evaluation.Statistics;

namespace Pipeline.Evaluation.Report;

/// <summary>What the HTML and Markdown reports share: column order, number and size formats.</summary>
internal static class ReportFormatting
{
    /// <summary>The candidates table's columns: every judge, then preference, length, diversity and reference overlap.</summary>
    public static IReadOnlyList<(string Metric, string Header)> Columns(EvaluationSummary summary)
    {
        var columns = summary.Judges.Select(j => (MetricNames.Judge(j), $"{j} (score)")).ToList();
        columns.Add((MetricNames.WinRate, $"win rate vs {summary.Reference}"));
        columns.Add((MetricNames.LengthControlledWinRate, "length-controlled win rate"));
        columns.Add((MetricNames.MeanTokens, "mean length (tokens)"));
        columns.Add((MetricNames.HitTokenLimit, "share at token limit"));
        columns.Add((MetricNames.Distinct1, "distinct-1"));
        columns.Add((MetricNames.Distinct2, "distinct-2"));
        if (summary.Candidates.Any(c => c.Metrics.ContainsKey(MetricNames.SampledDistinct2)))
            columns.Add((MetricNames.SampledDistinct2, "distinct-2 within a prompt's samples"));
        if (summary.Candidates.Any(c => c.Metrics.ContainsKey(MetricNames.RougeL)))
        {
            columns.Add((MetricNames.RougeL, "ROUGE-L vs reference"));
            columns.Add((MetricNames.ExactMatch, "exact match"));
        }
        if (summary.Candidates.Any(c => c.Metrics.ContainsKey(MetricNames.KlFromStart)))
            columns.Add((MetricNames.KlFromStart, "KL from its starting model (nats/reply)"));
        if (summary.Candidates.Any(c => c.Metrics.ContainsKey(MetricNames.Perplexity)))
            columns.Add((MetricNames.Perplexity, "perplexity of references"));
        return columns;
    }

    public static IReadOnlyList<string> Rules(EvaluationSummary summary) =>
        [.. summary.Candidates.SelectMany(c => c.Metrics.Keys).Where(k => k.StartsWith("rule/", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal)];

    public static string Value(Estimate? estimate) =>
        estimate is null || double.IsNaN(estimate.Value) ? "–" : Number(estimate.Value);

    public static string Interval(Estimate? estimate) =>
        estimate is { HasInterval: true } ? $"[{Number(estimate.Low)}, {Number(estimate.High)}]" : "";

    public static string Number(double value) =>
        double.IsNaN(value) ? "–" : Math.Abs(value) >= 100 ? value.ToString("0.#", CultureInfo.InvariantCulture) : value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Size(long bytes) => bytes switch
    {
        >= 1 << 30 => $"{bytes / (double)(1 << 30):0.0} GiB",
        >= 1 << 20 => $"{bytes / (double)(1 << 20):0.0} MiB",
        >= 1 << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };
}
