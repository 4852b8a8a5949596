using Pipeline.Infra.Tests.Kubernetes;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Prometheus;

public sealed class PrometheusConfigTests
{
    private static IReadOnlyList<YamlDotNet.RepresentationModel.YamlNode> Jobs(string config) =>
        PrometheusFiles.Load(config).Root.At("scrape_configs").Items();

    [Fact]
    public void Local_mode_scrapes_each_service_at_the_loopback_port_the_local_scripts_give_it()
    {
        var job = Assert.Single(Jobs(PrometheusFiles.LocalConfig), j => j.TextAt("job_name") == "pipeline-services");
        var targets = job.At("static_configs").Items()
            .SelectMany(s => s.At("targets").Items().Select(t => (Service: s.TextAt("labels", "service") ?? "(no service label)", Target: t.Text())))
            .ToList();
        ManifestAssert.SameNames(PipelineServices.All, targets.Select(t => t.Service), $"services scraped by {PrometheusFiles.LocalConfig}");
        foreach (var (service, target) in targets)
            Assert.True(target == $"127.0.0.1:{PipelineServices.LocalPort(service)}",
                $"{PrometheusFiles.LocalConfig}: {service} is scraped at {target}; {PipelineServices.ServicesScript} starts it on 127.0.0.1:{PipelineServices.LocalPort(service)}.");
    }

    [Fact]
    public void RabbitMQ_is_scraped_per_queue_where_the_alerts_need_queue_labels()
    {
        var local = Assert.Single(Jobs(PrometheusFiles.LocalConfig), j => j.TextAt("job_name") == "pipeline-rabbitmq");
        Assert.Equal("/metrics/per-object", local.TextAt("metrics_path"));
        var kubernetesRabbit = KustomizationFile.Load(Repository.PathOf("infra/k8s/base/rabbitmq")).DeclaredObjects()
            .Select(o => o.Object).Single(o => o.Kind == "StatefulSet");
        Assert.Equal("/metrics/per-object", kubernetesRabbit.PodAnnotations.GetValueOrDefault("prometheus.io/path"));
    }

    [Fact]
    public void Kubernetes_mode_keeps_the_annotated_pods_of_the_pipeline_namespace_at_their_annotated_port_and_path()
    {
        var job = Assert.Single(Jobs(PrometheusFiles.KubernetesConfig));
        var discovery = Assert.Single(job.At("kubernetes_sd_configs").Items());
        Assert.Equal("pod", discovery.TextAt("role"));
        var kustomizationNamespace = KustomizationFile.Load(Repository.PathOf(BaseManifestTests.BaseDirectory)).Namespace;
        Assert.Contains(kustomizationNamespace, discovery.At("namespaces", "names").Items().Select(n => n.Text()));

        var relabels = job.At("relabel_configs").Items();
        var sourceLabels = relabels.SelectMany(r => r.At("source_labels").Items()).Select(l => l.Text()).ToHashSet();
        var annotated = KustomizationFile.Load(Repository.PathOf(BaseManifestTests.BaseDirectory)).DeclaredObjects()
            .Select(o => o.Object).Where(o => o.IsWorkload && o.PodAnnotations.ContainsKey("prometheus.io/scrape")).ToList();
        Assert.True(annotated.Count > PipelineServices.All.Count - 1, "expected every service (and RabbitMQ) to carry prometheus.io annotations.");
        foreach (var key in annotated.SelectMany(o => o.PodAnnotations.Keys).Where(k => k.StartsWith("prometheus.io/", StringComparison.Ordinal)).Distinct())
        {
            var metaLabel = "__meta_kubernetes_pod_annotation_" + string.Concat(key.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
            Assert.True(sourceLabels.Contains(metaLabel), $"{PrometheusFiles.KubernetesConfig}: no relabel rule reads {metaLabel} (the pods' annotation {key}).");
        }
        Assert.Contains(relabels, r => r.TextAt("action") == "keep" && r.TextAt("regex") == "true"
            && r.At("source_labels").Items().Single().Text() == "__meta_kubernetes_pod_annotation_prometheus_io_scrape");
        Assert.Contains(relabels, r => r.TextAt("target_label") == "service");
    }

    [Fact]
    public void Every_job_is_named_pipeline_dash_so_the_service_down_alert_covers_it_and_both_configs_load_the_rules()
    {
        var down = PrometheusFiles.LoadRules().Single(r => r.Alert == "PipelineServiceDown");
        Assert.Contains("job=~\"pipeline-.*\"", down.Expression);
        foreach (var config in PrometheusFiles.Configs)
        {
            foreach (var job in Jobs(config))
                Assert.StartsWith("pipeline-", job.TextAt("job_name"));
            Assert.Equal([Repository.PathOf(PrometheusFiles.Rules)], PrometheusFiles.RuleFiles(config));
        }
    }
}
