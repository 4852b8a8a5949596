using Pipeline.Infra.Tests.Kubernetes;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Prometheus;

public sealed class RulesTests
{
    [Fact]
    public void The_alerts_asked_for_exist()
    {
        var alerts = PrometheusFiles.LoadRules().Where(r => r.Alert is not null).Select(r => r.Alert!).ToList();
        // Stuck stage, failures, queue backlog (and its two relatives), a service down.
        foreach (var name in new[] { "PipelineStageStuck", "PipelineStageFailures", "PipelineStageFailureRateHigh", "PipelineQueueBacklog",
                     "PipelineQueueWithoutConsumers", "PipelineErrorQueueNotEmpty", "PipelineServiceDown" })
            Assert.Contains(name, alerts);
    }

    [Fact]
    public void Every_alert_has_a_severity_a_summary_a_description_and_valid_durations()
    {
        var problems = new List<string>();
        foreach (var rule in PrometheusFiles.LoadRules())
        {
            if ((rule.Alert is null) == (rule.Record is null)) problems.Add($"{rule.Origin}: a rule has exactly one of `alert` and `record`");
            if (string.IsNullOrWhiteSpace(rule.Expression)) problems.Add($"{rule.Origin}: {rule.Name} has no expr");
            if (rule.Record is not null) continue;
            if (rule.Labels.GetValueOrDefault("severity") is not ("warning" or "critical"))
                problems.Add($"{rule.Origin}: {rule.Name}: labels.severity must be warning or critical");
            foreach (var annotation in new[] { "summary", "description" })
                if (string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault(annotation)))
                    problems.Add($"{rule.Origin}: {rule.Name}: annotations.{annotation} is missing");
            if (rule.For is { } duration && !PrometheusFiles.IsDuration(duration))
                problems.Add($"{rule.Origin}: {rule.Name}: for '{duration}' is not a duration such as 5m");
        }
        ManifestAssert.NoProblems(problems, PrometheusFiles.Rules);
    }

    [Fact]
    public void Every_metric_the_rules_read_is_exported_by_a_service_RabbitMQ_or_Prometheus_or_recorded_here()
    {
        var rules = PrometheusFiles.LoadRules();
        var recorded = rules.Where(r => r.Record is not null).Select(r => r.Record!).ToHashSet();
        var problems = new List<string>();
        foreach (var rule in rules)
            foreach (var metric in PromQl.MetricNames(rule.Expression))
                if (ExportedMetrics.Find(metric) is null && !recorded.Contains(metric))
                    problems.Add($"{rule.Origin}: {rule.Name} reads {metric}, which nothing exports (see ExportedMetrics) or records");
        ManifestAssert.NoProblems(problems, PrometheusFiles.Rules);
    }

    [Fact]
    public void Recording_rules_are_named_level_metric_operations()
    {
        foreach (var record in PrometheusFiles.LoadRules().Where(r => r.Record is not null))
            Assert.Matches("^[a-z_]+:[a-z_]+:[a-z0-9_]+$", record.Record!);
    }

    [Fact]
    public void Every_alert_has_a_unit_test_where_it_fires_and_one_where_it_must_not()
    {
        Assert.Equal([Repository.PathOf(PrometheusFiles.Rules)], PrometheusFiles.RuleFiles(PrometheusFiles.RuleTests));
        var expectations = PrometheusFiles.LoadAlertExpectations();
        var problems = new List<string>();
        foreach (var alert in PrometheusFiles.LoadRules().Where(r => r.Alert is not null))
        {
            var mine = expectations.Where(e => e.AlertName == alert.Alert).ToList();
            if (!mine.Any(e => e.ExpectedAlerts > 0)) problems.Add($"{PrometheusFiles.RuleTests}: no case where {alert.Alert} fires");
            if (!mine.Any(e => e.ExpectedAlerts == 0)) problems.Add($"{PrometheusFiles.RuleTests}: no case where {alert.Alert} must stay quiet");
        }
        foreach (var expectation in expectations)
            if (!PrometheusFiles.IsDuration(expectation.EvalTime)) problems.Add($"{expectation.Origin}: eval_time '{expectation.EvalTime}' is not a duration");
        ManifestAssert.NoProblems(problems, PrometheusFiles.RuleTests);
    }
}
