using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Prometheus;

public sealed partial class ExportedMetricsTests
{
    /// <summary>The list above and StageMetrics.cs must agree both ways, so a renamed instrument breaks this test, not a dashboard.</summary>
    [Fact]
    public void The_pipeline_metrics_listed_are_exactly_the_instruments_StageMetrics_creates()
    {
        var source = Repository.ReadText(ExportedMetrics.StageMetricsSource);
        var created = Instrument().Matches(source)
            .Select(m => ExportedMetrics.PrometheusName(m.Groups["name"].Value, m.Groups["unit"].Success ? m.Groups["unit"].Value : null, KindOf(m.Groups["type"].Value)))
            .ToList();
        Assert.True(created.Count >= 3, $"{ExportedMetrics.StageMetricsSource}: expected its Create...(\"name\", ...) calls; found {created.Count}.");
        var listed = ExportedMetrics.All.Where(m => m.Source == ExportedMetrics.StageMetricsSource).Select(m => m.Name);
        Assert.Equal(created.Order(), listed.Order());
    }

    [Theory]
    [InlineData("pipeline_stage_slice_duration", "s", MetricKind.Histogram, "pipeline_stage_slice_duration_seconds")]
    [InlineData("pipeline_stage_outcomes", null, MetricKind.Counter, "pipeline_stage_outcomes_total")]
    [InlineData("pipeline_stage_metric", null, MetricKind.Gauge, "pipeline_stage_metric")]
    [InlineData("messaging.masstransit.consume", "ea", MetricKind.Counter, "messaging_masstransit_consume_ea_total")]
    [InlineData("messaging.masstransit.consume.duration", "ms", MetricKind.Histogram, "messaging_masstransit_consume_duration_milliseconds")]
    [InlineData("http.server.request.duration", "s", MetricKind.Histogram, "http_server_request_duration_seconds")]
    [InlineData("dotnet.gc.collections", "{collection}", MetricKind.Counter, "dotnet_gc_collections_total")]
    [InlineData("dotnet.process.memory.working_set", "By", MetricKind.Gauge, "dotnet_process_memory_working_set_bytes")]
    public void Instrument_names_map_to_Prometheus_names_as_the_exporter_writes_them(string instrument, string? unit, MetricKind kind, string expected)
    {
        Assert.Equal(expected, ExportedMetrics.PrometheusName(instrument, unit, kind));
    }

    [Fact]
    public void Histogram_series_resolve_to_their_family_and_unknown_names_to_nothing()
    {
        Assert.Equal("pipeline_stage_slice_duration_seconds", ExportedMetrics.Find("pipeline_stage_slice_duration_seconds_bucket")?.Name);
        Assert.Equal("pipeline_stage_slice_duration_seconds", ExportedMetrics.Find("pipeline_stage_slice_duration_seconds_count")?.Name);
        Assert.Null(ExportedMetrics.Find("pipeline_stage_outcomes_total_bucket"));
        Assert.Null(ExportedMetrics.Find("pipeline_stage_outcomes"));
        Assert.Null(ExportedMetrics.Find("train_loss"));
    }

    private static MetricKind KindOf(string instrumentType) => instrumentType switch
    {
        "Counter" or "ObservableCounter" => MetricKind.Counter,
        "Histogram" => MetricKind.Histogram,
        _ => MetricKind.Gauge,
    };

    /// <summary>Meter.CreateCounter&lt;long&gt;("name", "unit", ...), CreateObservableGauge("name", () => ..., ...).</summary>
    [GeneratedRegex("""\.Create(?<type>Counter|UpDownCounter|Histogram|Gauge|ObservableGauge|ObservableCounter|ObservableUpDownCounter)(?:<\w+>)?\(\s*"(?<name>[^"]+)"(?:\s*,\s*"(?<unit>[^"]*)")?""")]
    private static partial Regex Instrument();
}
