using Pipeline.Infra.Tests.Kubernetes;
using Pipeline.Infra.Tests.Prometheus;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Grafana;

/// <summary>Every dashboard under infra/grafana/dashboards (backbone, alignment, data), and what their queries name.</summary>
public sealed class DashboardSetTests
{
    public const string Folder = "infra/grafana/dashboards";

    public static IReadOnlyList<string> Paths() =>
        Directory.GetFiles(Repository.PathOf(Folder), "*.json").Select(Repository.Relative).Order().ToList();

    public static TheoryData<string> Files() => new(Paths());

    private static readonly Lazy<IReadOnlySet<string>> RecordingRules =
        new(() => PrometheusFiles.LoadRules().Where(r => r.Record is not null).Select(r => r.Record!).ToHashSet());

    [Fact]
    public void There_are_dashboards_for_the_backbone_the_alignment_stages_and_the_data_stages()
    {
        var uids = Paths().Select(f => Dashboard.String(Dashboard.Load(f).Root, "uid")).ToHashSet();
        Assert.Superset(new HashSet<string?> { "pipeline-overview", "pipeline-alignment", "pipeline-data" }, uids);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_query_reads_metrics_that_are_exported_or_recorded_and_stage_metric_names_that_stages_report(string file)
    {
        var dashboard = Dashboard.Load(file);
        var problems = new List<string>();
        foreach (var query in dashboard.Queries)
        {
            var metrics = PromQl.MetricNames(query.Expression);
            if (metrics.Count == 0) problems.Add($"'{query.Panel}' {query.RefId}: reads no metric: {query.Expression}");
            foreach (var metric in metrics.Where(m => ExportedMetrics.Find(m) is null && !RecordingRules.Value.Contains(m)))
                problems.Add($"'{query.Panel}' {query.RefId}: {metric} is neither exported (ExportedMetrics) nor a recording rule of {PrometheusFiles.Rules}");
            foreach (var (op, value) in ReportedMetricNames.NameMatchers(query.Expression))
                foreach (var unmatched in ReportedMetricNames.Unmatched(op, value))
                    problems.Add($"'{query.Panel}' {query.RefId}: name{op}\"{unmatched}\" is no name a stage reports (*MetricNames classes under src/, ingestion's progress keys)");
        }
        ManifestAssert.NoProblems(problems, file);
    }

    [Fact]
    public void Alert_rules_name_only_stage_metrics_that_stages_report()
    {
        var problems = PrometheusFiles.LoadRules()
            .SelectMany(rule => ReportedMetricNames.NameMatchers(rule.Expression).SelectMany(m => ReportedMetricNames.Unmatched(m.Operator, m.Value))
                .Select(name => $"{rule.Name}: name \"{name}\" is no name a stage reports"));
        ManifestAssert.NoProblems(problems, PrometheusFiles.Rules);
    }

    [Fact]
    public void The_reported_names_include_the_alignment_stages_and_the_name_check_can_fail()
    {
        Assert.Superset(new HashSet<string> { "objective/kl", "objective/scores", "eval/reward", "policy/clipfrac", "timing/rollout", "train/loss", "rows_read", "progress" },
            ReportedMetricNames.All.ToHashSet());
        Assert.Equal(["objective/kl_budget"], ReportedMetricNames.Unmatched("=", "objective/kl_budget"));
        Assert.Empty(ReportedMetricNames.Unmatched("=~", "rewards/.+|objective/kl"));
        Assert.Equal(["objective/klx"], ReportedMetricNames.Unmatched("=~", "objective/klx|objective/kl"));
    }
}
