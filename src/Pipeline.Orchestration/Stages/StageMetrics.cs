using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pipeline.Contracts;

namespace Pipeline.Orchestration.Stages;

/// <summary>
/// The stage runtime's meter: progress, durations and the latest value of every metric a worker reports
/// (train/loss, perf/tokens_per_second, ...; <see cref="MetricNames"/>), each tagged with run and stage, for Prometheus via /metrics.
/// </summary>
public static class StageMetrics
{
    public const string MeterName = "Pipeline.Stages";
    public static readonly ActivitySource ActivitySource = new(MeterName);
    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<(Guid, string, string), double> Latest = new();

    private static readonly Histogram<double> SliceSeconds = Meter.CreateHistogram<double>(
        "pipeline_stage_slice_duration", "s", "Duration of one slice of stage work");
    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>(
        "pipeline_stage_outcomes", description: "Stage slices by outcome (completed, yielded, failed, cancelled, duplicate)");

    static StageMetrics()
    {
        // The main quantities also get a metric family each (pipeline_train_loss{run,stage}, ...), named in one place.
        foreach (var name in MetricNames.Gauged)
        {
            Meter.CreateObservableGauge(MetricNames.ToPrometheus(name), () =>
                Latest.Where(kv => kv.Key.Item3 == name).Select(kv => new Measurement<double>(kv.Value,
                    new KeyValuePair<string, object?>("run", kv.Key.Item1.ToString("N")),
                    new KeyValuePair<string, object?>("stage", kv.Key.Item2))),
                description: $"Latest {name} reported by a training stage");
        }
        Meter.CreateObservableGauge("pipeline_stage_metric", () =>
            Latest.Select(kv => new Measurement<double>(kv.Value,
                new KeyValuePair<string, object?>("run", kv.Key.Item1.ToString("N")),
                new KeyValuePair<string, object?>("stage", kv.Key.Item2),
                new KeyValuePair<string, object?>("name", kv.Key.Item3))),
            description: "Latest value of each metric a stage reports (progress, loss, tokens/s, ...)");
    }

    public static void RecordProgress(Guid runId, string stage, double fraction, IReadOnlyDictionary<string, double>? metrics)
    {
        Latest[(runId, stage, MetricNames.Progress)] = fraction;
        if (metrics is null) return;
        foreach (var (name, value) in metrics) Latest[(runId, stage, name)] = value;
    }

    /// <summary>Drops a finished stage's series, so a finished run does not look like a stuck one.</summary>
    public static void Forget(Guid runId, string stage)
    {
        foreach (var key in Latest.Keys.Where(k => k.Item1 == runId && k.Item2 == stage).ToList()) Latest.TryRemove(key, out _);
    }

    public static void RecordSlice(string stage, string outcome, TimeSpan duration)
    {
        SliceSeconds.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));
        Outcomes.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("outcome", outcome));
    }
}
