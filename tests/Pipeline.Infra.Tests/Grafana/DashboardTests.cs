using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Kubernetes;
using Pipeline.Infra.Tests.Prometheus;

namespace Pipeline.Infra.Tests.Grafana;

public sealed partial class DashboardTests
{
    private static readonly Lazy<Dashboard> Pipeline = new(() => Dashboard.Load());

    /// <summary>Variables Grafana defines itself.</summary>
    private static readonly HashSet<string> BuiltInVariables = ["__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms"];

    [Fact]
    public void The_dashboard_has_a_uid_a_title_a_schema_version_and_panels()
    {
        var dashboard = Pipeline.Value;
        Assert.False(string.IsNullOrWhiteSpace(Dashboard.String(dashboard.Root, "uid")), $"{dashboard.Origin}: no uid (provisioning and links need a stable one).");
        Assert.False(string.IsNullOrWhiteSpace(Dashboard.String(dashboard.Root, "title")), $"{dashboard.Origin}: no title.");
        Assert.True(Dashboard.Int(dashboard.Root, "schemaVersion") >= 36, $"{dashboard.Origin}: schemaVersion must be 36 or later (Grafana 9+).");
        Assert.True(dashboard.Panels.Count(p => Dashboard.String(p, "type") != "row") >= 10, $"{dashboard.Origin}: expected at least 10 panels.");
    }

    [Theory]
    [MemberData(nameof(DashboardSetTests.Files), MemberType = typeof(DashboardSetTests))]
    public void Panel_ids_are_unique_and_panels_fit_the_24_column_grid_without_overlapping(string file)
    {
        var dashboardFile = Dashboard.Load(file);
        var problems = new List<string>();
        var panels = dashboardFile.Panels;
        foreach (var duplicate in panels.GroupBy(p => Dashboard.Int(p, "id")).Where(g => g.Count() > 1))
            problems.Add($"panel id {duplicate.Key} is used {duplicate.Count()} times");
        var boxes = new List<(string Title, int X, int Y, int W, int H)>();
        foreach (var panel in panels)
        {
            var title = Dashboard.String(panel, "title") ?? "(untitled)";
            if (string.IsNullOrWhiteSpace(Dashboard.String(panel, "type"))) problems.Add($"panel '{title}' has no type");
            if (!panel.TryGetProperty("gridPos", out var grid)) { problems.Add($"panel '{title}' has no gridPos"); continue; }
            var box = (title, Dashboard.Int(grid, "x") ?? -1, Dashboard.Int(grid, "y") ?? -1, Dashboard.Int(grid, "w") ?? 0, Dashboard.Int(grid, "h") ?? 0);
            if (box.Item2 < 0 || box.Item3 < 0 || box.Item4 <= 0 || box.Item5 <= 0 || box.Item2 + box.Item4 > 24)
                problems.Add($"panel '{title}': gridPos x={box.Item2} y={box.Item3} w={box.Item4} h={box.Item5} does not fit 24 columns");
            foreach (var other in boxes.Where(b => b.X < box.Item2 + box.Item4 && box.Item2 < b.X + b.W && b.Y < box.Item3 + box.Item5 && box.Item3 < b.Y + b.H))
                problems.Add($"panel '{title}' overlaps '{other.Title}'");
            boxes.Add(box);
        }
        ManifestAssert.NoProblems(problems, file);
    }

    [Fact]
    public void Every_query_reads_only_metrics_the_services_RabbitMQ_or_Prometheus_export()
    {
        var problems = new List<string>();
        foreach (var query in Pipeline.Value.Queries)
        {
            var metrics = PromQl.MetricNames(query.Expression);
            if (metrics.Count == 0) problems.Add($"'{query.Panel}' {query.RefId}: reads no metric: {query.Expression}");
            foreach (var metric in metrics.Where(m => ExportedMetrics.Find(m) is null))
                problems.Add($"'{query.Panel}' {query.RefId}: {metric} is exported by nothing the pipeline runs (see ExportedMetrics)");
        }
        foreach (var variable in Pipeline.Value.Variables.Where(v => Dashboard.String(v, "type") == "query"))
            foreach (var metric in PromQl.VariableQueryMetricNames(VariableQuery(variable)).Where(m => ExportedMetrics.Find(m) is null))
                problems.Add($"variable {Dashboard.String(variable, "name")}: {metric} is exported by nothing the pipeline runs");
        ManifestAssert.NoProblems(problems, Dashboard.Pipeline);
    }

    [Theory]
    [MemberData(nameof(DashboardSetTests.Files), MemberType = typeof(DashboardSetTests))]
    public void Every_panel_and_query_variable_uses_the_dashboards_datasource_variable(string file)
    {
        var dashboardFile = Dashboard.Load(file);
        var dashboard = dashboardFile;
        var datasource = Assert.Single(dashboard.Variables, v => Dashboard.String(v, "type") == "datasource");
        Assert.Equal("prometheus", Dashboard.String(datasource, "query"));
        var reference = $"${{{Dashboard.String(datasource, "name")}}}";
        var problems = new List<string>();
        foreach (var panel in dashboard.Panels.Where(p => Dashboard.String(p, "type") != "row"))
            if (!panel.TryGetProperty("datasource", out var ds) || Dashboard.String(ds, "uid") != reference)
                problems.Add($"panel '{Dashboard.String(panel, "title")}' does not use the datasource {reference}");
        problems.AddRange(dashboard.Queries.Where(q => q.DatasourceUid != reference).Select(q => $"'{q.Panel}' {q.RefId} does not use the datasource {reference}"));
        foreach (var variable in dashboard.Variables.Where(v => Dashboard.String(v, "type") == "query"))
            if (!variable.TryGetProperty("datasource", out var ds) || Dashboard.String(ds, "uid") != reference)
                problems.Add($"variable {Dashboard.String(variable, "name")} does not use the datasource {reference}");
        ManifestAssert.NoProblems(problems, file);
    }

    [Theory]
    [MemberData(nameof(DashboardSetTests.Files), MemberType = typeof(DashboardSetTests))]
    public void Every_variable_a_query_uses_is_defined_or_built_in(string file)
    {
        var dashboardFile = Dashboard.Load(file);
        var defined = dashboardFile.Variables.Select(v => Dashboard.String(v, "name") ?? "").ToHashSet();
        var expressions = dashboardFile.Queries.Select(q => (Where: $"'{q.Panel}' {q.RefId}", Text: q.Expression))
            .Concat(dashboardFile.Variables.Select(v => (Where: $"variable {Dashboard.String(v, "name")}", Text: VariableQuery(v))));
        var problems = expressions
            .SelectMany(e => VariableReference().Matches(e.Text).Select(m => (e.Where, Name: m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value)))
            .Where(r => !defined.Contains(r.Name) && !BuiltInVariables.Contains(r.Name))
            .Select(r => $"{r.Where} uses ${r.Name}, which is not a variable of the dashboard");
        ManifestAssert.NoProblems(problems, file);
    }

    [Theory]
    [InlineData("training loss", "pipeline_stage_metric", "name=\"train/loss\"")]
    [InlineData("learning rate", "pipeline_stage_metric", "name=\"train/learning_rate\"")]
    [InlineData("tokens per second", "pipeline_stage_metric", "name=\"perf/tokens_per_second\"")]
    [InlineData("stage progress", "pipeline_stage_metric", "name=\"progress\"")]
    [InlineData("slice durations", "pipeline_stage_slice_duration_seconds_bucket", "histogram_quantile")]
    [InlineData("slice outcomes", "pipeline_stage_outcomes_total", "outcome")]
    [InlineData("queue depth", "rabbitmq_queue_messages_ready", "queue")]
    [InlineData("HTTP latency", "http_server_request_duration_seconds_bucket", "histogram_quantile")]
    public void The_dashboard_shows(string what, string metric, string alsoInQuery)
    {
        Assert.True(Pipeline.Value.Queries.Any(q => PromQl.MetricNames(q.Expression).Contains(metric) && q.Expression.Contains(alsoInQuery, StringComparison.Ordinal)),
            $"{Dashboard.Pipeline}: no panel shows {what} (a query of {metric} with {alsoInQuery}).");
    }

    private static string VariableQuery(JsonElement variable) =>
        variable.TryGetProperty("query", out var query)
            ? query.ValueKind == JsonValueKind.String ? query.GetString() ?? "" : Dashboard.String(query, "query") ?? ""
            : "";

    [GeneratedRegex(@"\$(?:\{(?<a>[A-Za-z0-9_]+)(?::[^}]*)?\}|(?<b>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex VariableReference();
}
