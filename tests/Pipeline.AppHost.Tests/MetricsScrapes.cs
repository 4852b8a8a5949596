using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Prometheus;

namespace Pipeline.AppHost.Tests;

/// <summary>What the services' /metrics (Prometheus text format) exposed, scraped while a run goes on and after it.</summary>
public sealed partial class MetricsScrapes(IReadOnlyDictionary<string, HttpClient> services)
{
    private readonly HashSet<string> families = [];
    private readonly HashSet<string> stageMetricNames = [];

    /// <summary>Every series name seen (histograms as _bucket, _sum, _count).</summary>
    public IReadOnlySet<string> Families { get { lock (families) return families.ToHashSet(); } }

    /// <summary>The name label values of pipeline_stage_metric seen.</summary>
    public IReadOnlySet<string> StageMetricNames { get { lock (families) return stageMetricNames.ToHashSet(); } }

    public async Task ScrapeUntilAsync(IReadOnlyList<string> which, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                foreach (var service in which) await ScrapeAsync(service, stop);
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        }
    }

    /// <summary>
    /// One answered scrape of every service: a scrape that fails (a busy machine, a slow first request) is tried again
    /// for up to 30 s, so what the run left on /metrics is read rather than skipped.
    /// </summary>
    public async Task ScrapeAllOnceAsync(CancellationToken ct)
    {
        foreach (var service in services.Keys)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!await ScrapeAsync(service, ct))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{service}: /metrics did not answer for 30 s after the run");
                await Task.Delay(250, ct);
            }
        }
    }

    private async Task<bool> ScrapeAsync(string service, CancellationToken ct)
    {
        string text;
        try { text = await services[service].GetStringAsync("metrics", ct); }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested)) { return false; }
        lock (families)
            foreach (Match sample in Sample().Matches(text))
            {
                families.Add(sample.Groups["name"].Value);
                if (sample.Groups["name"].Value == "pipeline_stage_metric" && NameLabel().Match(sample.Groups["labels"].Value) is { Success: true } name)
                    stageMetricNames.Add(name.Groups["value"].Value);
            }
        return true;
    }

    /// <summary>Failure counters exist only after a first failure; a successful run cannot show them.</summary>
    public static bool OnlyAfterAFailure(string metric) => metric.Contains("_errors_", StringComparison.Ordinal);

    /// <summary>The metric names the dashboards' queries read that a service exports (not RabbitMQ's, Prometheus' or recording rules).</summary>
    public static IReadOnlySet<string> ServiceMetricsTheDashboardsRead()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Pipeline.sln"))) root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("Pipeline.sln not found above the test binary");
        var names = new HashSet<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(root, "infra", "grafana", "dashboards"), "*.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var expr in Expressions(doc.RootElement))
                foreach (var metric in PromQl.MetricNames(expr))
                    if (!metric.StartsWith("rabbitmq_", StringComparison.Ordinal) && !metric.Contains(':') && metric is not ("up" or "scrape_duration_seconds" or "scrape_samples_scraped"))
                        names.Add(metric);
        }
        return names;
    }

    private static IEnumerable<string> Expressions(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
                if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String) yield return property.Value.GetString()!;
                else foreach (var nested in Expressions(property.Value)) yield return nested;
        }
        else if (element.ValueKind == JsonValueKind.Array)
            foreach (var item in element.EnumerateArray())
                foreach (var nested in Expressions(item)) yield return nested;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})?\s", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(@"(?:^|,)name=""(?<value>[^""]*)""")]
    private static partial Regex NameLabel();
}
