using System.Text.Json;

namespace Pipeline.AppHost.Tests;

/// <summary>One span as the dashboard's telemetry API returns it (OTLP JSON): which service, which instrumentation.</summary>
public sealed record DashboardSpan(string Service, string Scope, string Name, string TraceId, IReadOnlyDictionary<string, string> Attributes)
{
    public override string ToString() => $"{Service}: {Name} [{Scope}]";
}

/// <summary>The Aspire dashboard's telemetry HTTP API (/api/telemetry/...), which serves what the services sent it over OTLP.</summary>
public sealed class DashboardTelemetry(HttpClient http)
{
    /// <summary>
    /// Spans of the newest traces a resource took part in (only that resource's spans), or of one whole trace. The API
    /// returns the newest 100 traces unless asked for more: a run's polling alone makes that many.
    /// </summary>
    public Task<IReadOnlyList<DashboardSpan>> SpansOfResourceAsync(string resource, CancellationToken ct) =>
        SpansAsync($"api/telemetry/traces?resource={Uri.EscapeDataString(resource)}&limit=10000", ct);

    public Task<IReadOnlyList<DashboardSpan>> TraceAsync(string traceId, CancellationToken ct) =>
        SpansAsync($"api/telemetry/traces/{traceId}", ct);

    private async Task<IReadOnlyList<DashboardSpan>> SpansAsync(string path, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(path, ct));
        var spans = new List<DashboardSpan>();
        foreach (var resource in Items(doc.RootElement, "data", "resourceSpans"))
        {
            var service = Attributes(resource.GetProperty("resource")).GetValueOrDefault("service.name", "?");
            foreach (var scope in Items(resource, "scopeSpans"))
            {
                var scopeName = scope.GetProperty("scope").GetProperty("name").GetString() ?? "";
                foreach (var span in Items(scope, "spans"))
                    spans.Add(new DashboardSpan(service, scopeName, span.GetProperty("name").GetString() ?? "", span.GetProperty("traceId").GetString() ?? "", Attributes(span)));
            }
        }
        return spans;
    }

    /// <summary>Every log record as (service, body, attribute values).</summary>
    public async Task<IReadOnlyList<(string Service, string Body, IReadOnlyDictionary<string, string> Attributes)>> LogsAsync(string resource, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"api/telemetry/logs?resource={Uri.EscapeDataString(resource)}&limit=10000", ct));
        var logs = new List<(string, string, IReadOnlyDictionary<string, string>)>();
        foreach (var owner in Items(doc.RootElement, "data", "resourceLogs"))
        {
            var service = Attributes(owner.GetProperty("resource")).GetValueOrDefault("service.name", "?");
            foreach (var scope in Items(owner, "scopeLogs"))
                foreach (var record in Items(scope, "logRecords"))
                {
                    var body = record.TryGetProperty("body", out var b) && b.TryGetProperty("stringValue", out var s) ? s.GetString() ?? "" : "";
                    logs.Add((service, body, Attributes(record)));
                }
        }
        return logs;
    }

    /// <summary>The resources the dashboard holds telemetry for, with whether it has metrics from each.</summary>
    public async Task<IReadOnlyDictionary<string, bool>> ResourcesWithMetricsAsync(CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("api/telemetry/resources", ct));
        return doc.RootElement.EnumerateArray()
            .GroupBy(r => r.GetProperty("name").GetString() ?? "")
            .ToDictionary(g => g.Key, g => g.Any(r => r.TryGetProperty("hasMetrics", out var m) && m.GetBoolean()));
    }

    private static IEnumerable<JsonElement> Items(JsonElement element, params string[] path)
    {
        foreach (var key in path)
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(key, out element)) return [];
        return element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : [];
    }

    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var attribute in Items(owner, "attributes"))
        {
            var value = attribute.GetProperty("value");
            var text = value.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()).FirstOrDefault();
            attributes[attribute.GetProperty("key").GetString() ?? ""] = text ?? "";
        }
        return attributes;
    }
}
