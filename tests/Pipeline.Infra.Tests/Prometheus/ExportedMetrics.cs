namespace Pipeline.Infra.Tests.Prometheus;

public enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>A metric family as Prometheus sees it, and who exports it.</summary>
public sealed record ExportedMetric(string Name, MetricKind Kind, string Source);

/// <summary>
/// Every metric the dashboards and alerts may use: what the services export on /metrics (read from a running
/// service's scrape with ServiceDefaults: the pipeline's own meter, ASP.NET Core, HttpClient, the .NET runtime and
/// MassTransit 8.5), what RabbitMQ's prometheus plugin exports per queue, and what Prometheus adds per target.
/// OpenTelemetry's Prometheus exporter turns dots into underscores, appends the unit ("s" → _seconds, "ms" →
/// _milliseconds, "By" → _bytes, MassTransit's "ea" → _ea) and _total to counters; histograms add _bucket, _sum
/// and _count.
/// </summary>
public static class ExportedMetrics
{
    public const string StageMetricsSource = "src/Pipeline.Orchestration/Stages/StageMetrics.cs";

    public static readonly IReadOnlyList<ExportedMetric> All =
    [
        // The stage runtime's meter "Pipeline.Stages" (StageMetrics.cs). pipeline_stage_metric{run,stage,name}
        // carries progress and whatever a worker reports (train/loss, learning_rate, perf/tokens_per_second, ...).
        new("pipeline_stage_metric", MetricKind.Gauge, StageMetricsSource),
        new("pipeline_stage_outcomes_total", MetricKind.Counter, StageMetricsSource),
        new("pipeline_stage_slice_duration_seconds", MetricKind.Histogram, StageMetricsSource),

        // ASP.NET Core and Kestrel (labels http_request_method, http_route, http_response_status_code).
        new("http_server_request_duration_seconds", MetricKind.Histogram, "ASP.NET Core"),
        new("http_server_active_requests", MetricKind.Gauge, "ASP.NET Core"),
        new("kestrel_active_connections", MetricKind.Gauge, "Kestrel"),
        new("kestrel_queued_connections", MetricKind.Gauge, "Kestrel"),
        new("aspnetcore_routing_match_attempts_total", MetricKind.Counter, "ASP.NET Core routing"),

        // HttpClient.
        new("http_client_request_duration_seconds", MetricKind.Histogram, "HttpClient"),
        new("http_client_active_requests", MetricKind.Gauge, "HttpClient"),
        new("http_client_open_connections", MetricKind.Gauge, "HttpClient"),
        new("http_client_request_time_in_queue_seconds", MetricKind.Histogram, "HttpClient"),

        // The .NET runtime (meter System.Runtime).
        new("dotnet_process_cpu_time_seconds_total", MetricKind.Counter, ".NET runtime"),
        new("dotnet_process_cpu_count", MetricKind.Gauge, ".NET runtime"),
        new("dotnet_process_memory_working_set_bytes", MetricKind.Gauge, ".NET runtime"),
        new("dotnet_gc_collections_total", MetricKind.Counter, ".NET runtime"),
        new("dotnet_gc_heap_total_allocated_bytes_total", MetricKind.Counter, ".NET runtime"),
        new("dotnet_gc_last_collection_heap_size_bytes", MetricKind.Gauge, ".NET runtime"),
        new("dotnet_gc_last_collection_memory_committed_size_bytes", MetricKind.Gauge, ".NET runtime"),
        new("dotnet_gc_pause_time_seconds_total", MetricKind.Counter, ".NET runtime"),
        new("dotnet_exceptions_total", MetricKind.Counter, ".NET runtime"),
        new("dotnet_monitor_lock_contentions_total", MetricKind.Counter, ".NET runtime"),
        new("dotnet_thread_pool_thread_count_total", MetricKind.Counter, ".NET runtime"),
        new("dotnet_thread_pool_queue_length_total", MetricKind.Counter, ".NET runtime"),
        new("dotnet_thread_pool_work_item_count_total", MetricKind.Counter, ".NET runtime"),
        new("dotnet_assembly_count", MetricKind.Gauge, ".NET runtime"),

        // MassTransit 8.5 (meter "MassTransit"). Its in-progress counts are counters that also go down.
        new("messaging_masstransit_receive_ea_total", MetricKind.Counter, "MassTransit"),
        new("messaging_masstransit_receive_errors_ea_total", MetricKind.Counter, "MassTransit"),
        new("messaging_masstransit_receive_active_ea_total", MetricKind.Counter, "MassTransit"),
        new("messaging_masstransit_receive_duration_milliseconds", MetricKind.Histogram, "MassTransit"),
        new("messaging_masstransit_consume_ea_total", MetricKind.Counter, "MassTransit"),
        new("messaging_masstransit_consume_errors_ea_total", MetricKind.Counter, "MassTransit"),
        new("messaging_masstransit_consume_retries_ea_total", MetricKind.Counter, "MassTransit"),
        new("messaging_masstransit_consume_active_ea_total", MetricKind.Counter, "MassTransit"),
        new("messaging_masstransit_consume_duration_milliseconds", MetricKind.Histogram, "MassTransit"),
        new("messaging_masstransit_delivery_duration_milliseconds", MetricKind.Histogram, "MassTransit"),
        new("messaging_masstransit_send_ea_total", MetricKind.Counter, "MassTransit"),
        new("messaging_masstransit_send_errors_ea_total", MetricKind.Counter, "MassTransit"),
        new("messaging_masstransit_handler_active_ea_total", MetricKind.Counter, "MassTransit"),

        // OpenTelemetry's resource, one series per process.
        new("target_info", MetricKind.Gauge, "OpenTelemetry"),

        // RabbitMQ's rabbitmq_prometheus plugin, /metrics/per-object (labels vhost, queue).
        new("rabbitmq_queue_messages_ready", MetricKind.Gauge, "rabbitmq_prometheus"),
        new("rabbitmq_queue_messages_unacked", MetricKind.Gauge, "rabbitmq_prometheus"),
        new("rabbitmq_queue_messages", MetricKind.Gauge, "rabbitmq_prometheus"),
        new("rabbitmq_queue_consumers", MetricKind.Gauge, "rabbitmq_prometheus"),
        new("rabbitmq_queue_messages_published_total", MetricKind.Counter, "rabbitmq_prometheus"),
        new("rabbitmq_connections", MetricKind.Gauge, "rabbitmq_prometheus"),

        // Prometheus, per scrape target.
        new("up", MetricKind.Gauge, "Prometheus"),
        new("scrape_duration_seconds", MetricKind.Gauge, "Prometheus"),
        new("scrape_samples_scraped", MetricKind.Gauge, "Prometheus"),
    ];

    private static readonly Dictionary<string, ExportedMetric> ByName = All.ToDictionary(m => m.Name);

    /// <summary>The family a series name belongs to (histograms' _bucket, _sum and _count included), or null.</summary>
    public static ExportedMetric? Find(string series)
    {
        if (ByName.TryGetValue(series, out var metric)) return metric;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
            if (series.EndsWith(suffix, StringComparison.Ordinal)
                && ByName.TryGetValue(series[..^suffix.Length], out var histogram) && histogram.Kind == MetricKind.Histogram)
                return histogram;
        return null;
    }

    /// <summary>
    /// The name OpenTelemetry's Prometheus exporter gives an instrument: dots to underscores, the unit appended
    /// unless the name already ends with it, "_total" for counters.
    /// </summary>
    public static string PrometheusName(string instrument, string? unit, MetricKind kind)
    {
        var name = instrument.Replace('.', '_');
        var suffix = unit switch
        {
            null or "" or "1" => "",
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            _ when unit.StartsWith('{') => "",
            _ => unit,
        };
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal)) name += "_" + suffix;
        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal)) name += "_total";
        return name;
    }
}
