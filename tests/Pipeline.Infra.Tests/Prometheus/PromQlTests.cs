namespace Pipeline.Infra.Tests.Prometheus;

public sealed class PromQlTests
{
    [Theory]
    [InlineData("up", "up")]
    [InlineData("up{job=~\"pipeline-.*\"} == 0", "up")]
    [InlineData("sum by (stage, outcome) (increase(pipeline_stage_outcomes_total{stage=~\"$stage\"}[$__rate_interval]))", "pipeline_stage_outcomes_total")]
    [InlineData("histogram_quantile(0.95, sum(rate(http_server_request_duration_seconds_bucket[5m])) by (le, service))", "http_server_request_duration_seconds_bucket")]
    [InlineData("a_total - (a_total offset 30m or b * 0)", "a_total,a_total,b")]
    [InlineData("x > 0 and on (vhost, queue) y == 0 unless ignoring(instance) z", "x,y,z")]
    [InlineData("rate(x[5m]) / on (job) group_left (service) info", "x,info")]
    [InlineData("stage_outcome:pipeline_stage_outcomes:increase30m{outcome=\"failed\"} > 1e3", "stage_outcome:pipeline_stage_outcomes:increase30m")]
    [InlineData("m{name=\"a}b\", other='c{d'} > bool 0.5", "m")]
    [InlineData("time() - max(timestamp(last_seen)) > Inf", "last_seen")]
    [InlineData("vector(1) + ${factor} * count_values(\"v\", some_metric)", "some_metric")]
    [InlineData("{__name__=~\"rabbitmq_.*\"}", "")]
    public void Metric_names_are_the_selectors_not_functions_labels_keywords_or_variables(string expression, string expected)
    {
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), PromQl.MetricNames(expression));
    }

    [Theory]
    [InlineData("label_values(pipeline_stage_metric, stage)", "pipeline_stage_metric")]
    [InlineData("label_values(pipeline_stage_metric{stage=~\"$stage\"}, run)", "pipeline_stage_metric")]
    [InlineData("label_values(stage)", "")]
    [InlineData("query_result(topk(5, rabbitmq_queue_messages_ready))", "rabbitmq_queue_messages_ready")]
    [InlineData("metrics(pipeline_.*)", "")]
    public void Variable_queries_name_the_metric_they_read_labels_from(string query, string expected)
    {
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), PromQl.VariableQueryMetricNames(query));
    }
}
