using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Pipeline.AppHost.Tests;

/// <summary>
/// The AppHost as a user runs it, without a container runtime: RabbitMQ, epmd and Azurite as executables (from
/// infra/local/deps.sh install), every service as a project, and the dashboard. One run goes through the API; its
/// trace (API request, MassTransit send/receive, the stage's own span) must reach the dashboard, and stopping the
/// AppHost must leave no process behind.
/// </summary>
public sealed class AppHostTests
{
    /// <summary>Every resource the AppHost declares in executable mode.</summary>
    public static readonly string[] Resources = ["epmd", "rabbitmq", "azurite", "api", "ingestion", "synthesis", "sft", "reward-model", "ppo", "evaluation"];

    private static readonly string[] PipelineServiceNames = ["api", "ingestion", "synthesis", "sft", "reward-model", "ppo", "evaluation"];

    /// <summary>Bounds so that a hung start fails with diagnostics instead of hanging CI; none of them is asserted on.</summary>
    private static readonly TimeSpan StartBound = TimeSpan.FromMinutes(4), RunBound = TimeSpan.FromMinutes(3), TelemetryBound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_run_submitted_to_the_AppHost_completes_its_trace_reaches_the_dashboard_and_stopping_leaves_no_process()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pipeline_AppHost>(
            [
                "--Pipeline:Infrastructure=executables",
                $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort()}",
                $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort()}",
                $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreePort()}",
                "--ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
            ],
            (options, _) =>
            {
                options.DisableDashboard = false;
                options.AllowUnsecuredTransport = true;
            }, ct);

        // The resources' own logs stay in the dashboard; the test output keeps warnings and errors.
        builder.Services.AddLogging(logging => logging
            .AddFilter("Pipeline.AppHost.Resources", LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .AddFilter("Aspire.Hosting", LogLevel.Warning));
        var pids = new Dictionary<string, int>();
        var states = new Dictionary<string, string>();
        await using var app = await builder.BuildAsync(ct);
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in app.ResourceNotifications.WatchAsync(watching.Token))
                    lock (pids)
                    {
                        states[e.Resource.Name] = $"{e.Snapshot.State?.Text} / health {e.Snapshot.HealthStatus?.ToString() ?? "none"}";
                        if (e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid && int.TryParse(pid.ToString(), out var n))
                            pids[e.Resource.Name] = n;
                    }
            }
            catch (OperationCanceledException) { }
        }, ct);
        string States() { lock (pids) return string.Join("\n", states.OrderBy(s => s.Key).Select(s => $"  {s.Key}: {s.Value}")); }

        await app.StartAsync(ct);
        foreach (var resource in Resources)
            await Bounded(app.ResourceNotifications.WaitForResourceHealthyAsync(resource, ct), StartBound,
                () => $"resource '{resource}' did not become healthy. Resource states:\n{States()}");

        // Everything the AppHost started listens on loopback only.
        IReadOnlySet<int> processes;
        lock (pids)
        {
            Assert.True(Resources.All(pids.ContainsKey), $"no process id reported for {string.Join(", ", Resources.Where(r => !pids.ContainsKey(r)))}");
            processes = LocalProcesses.WithDescendants(pids.Values);
        }
        var sockets = LocalProcesses.ListeningSockets(processes);
        Assert.Contains(sockets, s => s.Name == "beam.smp");
        Assert.Contains(sockets, s => s.Name == "node");
        Assert.Contains(sockets, s => s.Name.StartsWith("Pipeline.", StringComparison.Ordinal));
        var exposed = sockets.Where(s => !LocalProcesses.IsLoopback(s.Address)).ToList();
        Assert.True(exposed.Count == 0, "these listen beyond loopback: " + string.Join(", ", exposed.Select(s => $"{s.Name} (pid {s.Pid}) on {s.Address}")));

        // A small ingest-only run through the API resource.
        using var api = app.CreateHttpClient("api", "http");
        var input = await UploadAsync(api, "tickets.jsonl", TinyAlpaca(rows: 4000), ct);
        // Several slices (shard_size), so that the stage's metrics are on /metrics for a while: a finished stage's are dropped.
        var runId = await SubmitAsync(api, $"""
            name: apphost-smoke
            stages:
              ingest:
                inputs:
                  - path: "{input}"
                    format: alpaca
                shard_size: 500
            """, ct);
        var scrapes = new MetricsScrapes(PipelineServiceNames.ToDictionary(s => s, s => app.CreateHttpClient(s, "http")));
        using var scraping = new CancellationTokenSource();
        var scraper = scrapes.ScrapeUntilAsync(["ingestion"], scraping.Token);
        var run = await PollAsync(() => GetRunAsync(api, runId, ct), r => r.GetProperty("state").GetString() != "Running", RunBound,
            () => $"run {runId} did not finish. Resource states:\n{States()}");
        await scraping.CancelAsync();
        await scraper;
        Assert.True(run.GetProperty("state").GetString() == "Completed", $"run {runId} ended {run.GetRawText()}");

        // Every service metric a dashboard panel reads is on a live /metrics of the services.
        await scrapes.ScrapeAllOnceAsync(ct);
        var named = MetricsScrapes.ServiceMetricsTheDashboardsRead();
        Assert.Contains("pipeline_stage_metric", named);
        var missing = named.Where(m => !scrapes.Families.Contains(m) && !MetricsScrapes.OnlyAfterAFailure(m)).Order().ToList();
        Assert.True(missing.Count == 0, $"dashboards read {string.Join(", ", missing)}, which no service's /metrics exposed during the run; seen: {string.Join(", ", scrapes.Families.Order())}");
        Assert.Contains("progress", scrapes.StageMetricNames);
        Assert.Contains("rows_read", scrapes.StageMetricNames);

        // Its trace, logs and metrics in the dashboard.
        var dashboardUrl = await app.GetDashboardUrlAsync(ct) ?? throw new InvalidOperationException("the AppHost reports no dashboard URL");
        using var dashboardHttp = new HttpClient { BaseAddress = new Uri(dashboardUrl.GetLeftPart(UriPartial.Authority)) };
        var telemetry = new DashboardTelemetry(dashboardHttp);
        var runTag = runId.ToString("N");
        IReadOnlyList<DashboardSpan> trace = [], seen = [];
        await PollAsync(async () =>
        {
            var spans = seen = await telemetry.SpansOfResourceAsync("ingestion", ct);
            var stageSpan = spans.FirstOrDefault(s => s.Name == "stage ingest" && s.Attributes.GetValueOrDefault("run.id") == runTag);
            trace = stageSpan is null ? [] : await telemetry.TraceAsync(stageSpan.TraceId, ct);
            return trace;
        }, t => t.Any(s => s.Service == "api" && s.Name.StartsWith("POST /runs", StringComparison.Ordinal))
                && t.Any(s => s.Service == "ingestion" && s.Scope == "MassTransit" && s.Name == "stage-ingest process"),
            TelemetryBound, () => $"the dashboard has no complete trace of run {runTag}; spans of its stage's trace: {string.Join("; ", trace)}. " +
                                  $"Ingestion has {seen.Count} spans there: {string.Join("; ", seen.Where(s => s.Scope != "System.Net.Http").Select(s => $"{s} run.id={s.Attributes.GetValueOrDefault("run.id")}").Distinct().Take(40))}");
        Assert.Contains(trace, s => s.Service == "api" && s.Name.Contains("RunIngestion send", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Service == "ingestion" && s.Scope == "Pipeline.Stages");

        var logs = await telemetry.LogsAsync("ingestion", ct);
        Assert.Contains(logs, l => l.Service == "ingestion" && l.Attributes.Values.Any(v => v.Contains(runTag, StringComparison.OrdinalIgnoreCase) || v.Contains(runId.ToString(), StringComparison.OrdinalIgnoreCase)));
        var withMetrics = await telemetry.ResourcesWithMetricsAsync(ct);
        Assert.True(withMetrics.GetValueOrDefault("ingestion") && withMetrics.GetValueOrDefault("api"),
            "the dashboard holds no metrics from ingestion or api: " + string.Join(", ", withMetrics.Select(m => $"{m.Key}={m.Value}")));

        // The same trace as a user sees it: the dashboard's trace page in Debian's headless chromium.
        var traceId = trace[0].TraceId;
        var screenshot = await ShowTraceInBrowserAsync(dashboardUrl, traceId);
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"{screenshot} is suspiciously small");

        // Stopping the AppHost stops everything it started.
        await app.StopAsync(ct);
        watching.Cancel();
        await watcher;
        var survivors = await PollAsync(() => Task.FromResult(processes.Where(LocalProcesses.IsRunning).ToList()), l => l.Count == 0, TimeSpan.FromSeconds(60),
            () => "processes still running after the AppHost stopped: " + string.Join(", ", processes.Where(LocalProcesses.IsRunning).Select(LocalProcesses.Describe)));
        Assert.Empty(survivors);
        var stillListening = LocalProcesses.ListeningSockets(processes);
        Assert.True(stillListening.Count == 0, "still listening after stop: " + string.Join(", ", stillListening));
    }

    /// <summary>Opens the dashboard's page for one trace, waits until the stage's span is on it, and keeps a screenshot.</summary>
    private static async Task<string> ShowTraceInBrowserAsync(Uri dashboard, string traceId)
    {
        var chromium = Chromium.Executable ?? throw new InvalidOperationException(Chromium.Missing);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = Chromium.Arguments });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        var url = new Uri(dashboard, $"/traces/detail/{traceId}").ToString();
        await page.GotoAsync(url);
        await page.GetByText("stage ingest").First.WaitForAsync(new() { Timeout = 60_000 });
        var text = await page.Locator("body").InnerTextAsync();
        Assert.Contains("ingestion", text);
        Assert.Contains("api", text);
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard-trace.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"dashboard trace page {url}: screenshot {path}");
        return path;
    }

    private static string TinyAlpaca(int rows)
    {
        var text = new StringBuilder();
        for (var i = 0; i < rows; i++)
            text.AppendLine(JsonSerializer.Serialize(new { instruction = $"How do I reset the password of account {i}?", input = "", output = $"Open Settings, choose Security, then Reset password; account {i} gets an email." }));
        return text.ToString();
    }

    private static async Task<string> UploadAsync(HttpClient api, string fileName, string content, CancellationToken ct)
    {
        var response = await api.PostAsync($"artifacts/imports?fileName={Uri.EscapeDataString(fileName)}", new StringContent(content), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"POST /artifacts/imports answered {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("reference").GetString()!;
    }

    private static async Task<Guid> SubmitAsync(HttpClient api, string yaml, CancellationToken ct)
    {
        var response = await api.PostAsync("runs", new StringContent(yaml, Encoding.UTF8, "application/yaml"), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /runs answered {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("runId").GetGuid();
    }

    private static async Task<JsonElement> GetRunAsync(HttpClient api, Guid runId, CancellationToken ct)
    {
        var response = await api.GetAsync($"runs/{runId}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return default;
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return doc.RootElement.Clone();
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan bound, Func<string> diagnostics)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var value = await read();
            if (value is not JsonElement { ValueKind: JsonValueKind.Undefined } && done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException(diagnostics());
            await Task.Delay(250);
        }
    }

    private static async Task Bounded(Task task, TimeSpan bound, Func<string> diagnostics)
    {
        if (await Task.WhenAny(task, Task.Delay(bound)) != task) throw new TimeoutException(diagnostics());
        await task;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Debian's chromium (infra/local/deps.sh install puts it there); Playwright never downloads a browser here.</summary>
public static class Chromium
{
    public static string? Executable => new[] { Environment.GetEnvironmentVariable("PIPELINE_CHROMIUM"), "/usr/bin/chromium" }.FirstOrDefault(File.Exists);

    public const string Missing = "Debian's chromium is not installed (/usr/bin/chromium). Run `infra/local/deps.sh install` " +
                                  "(it installs the packages chromium and chromium-driver) or set PIPELINE_CHROMIUM to a Chromium binary.";

    /// <summary>Headless flags for these machines: no sandbox (root in a container), no network beyond loopback.</summary>
    public static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ];
}
