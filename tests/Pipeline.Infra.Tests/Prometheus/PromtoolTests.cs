using Pipeline.Infra.Tests.Kubernetes;
using Pipeline.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Infra.Tests.Prometheus;

/// <summary>
/// Prometheus' own checker on the configurations, the rules and the rules' unit tests, where promtool is on PATH
/// (Debian: apt-get install prometheus). Without it these fall back to the structural checks of the same files,
/// unless PIPELINE_REQUIRE_PROMTOOL=1 makes a missing promtool a failure.
/// </summary>
public sealed class PromtoolTests
{
    public const string RequireVariable = "PIPELINE_REQUIRE_PROMTOOL";

    private static readonly string MissingPromtool =
        $"promtool is not on PATH, and {RequireVariable}=1 asks for it. Install it (Debian 12: " +
        $"apt-get install -y --no-install-recommends prometheus) or unset {RequireVariable}.";

    /// <summary>promtool's path, or null after the structural checks passed where it is absent and not required.</summary>
    private static string? PromtoolOrStructuralChecks()
    {
        if (ExternalTool.Find("promtool") is { } promtool) return promtool;
        if (ExternalTool.Required(RequireVariable)) Assert.Fail(MissingPromtool);
        var rules = PrometheusFiles.LoadRules();
        Assert.NotEmpty(rules);
        Assert.NotEmpty(PrometheusFiles.LoadAlertExpectations());
        foreach (var config in PrometheusFiles.Configs)
            Assert.All(PrometheusFiles.RuleFiles(config), f => Assert.True(File.Exists(f), $"{config} loads {f}, which does not exist."));
        return null;
    }

    [Fact]
    public void Promtool_accepts_the_local_configuration_and_the_rules_it_loads()
    {
        if (PromtoolOrStructuralChecks() is not { } promtool) return;
        var run = ExternalTool.Run(promtool, ["check", "config", PrometheusFiles.LocalConfig], Repository.Root);
        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("SUCCESS", run.StandardOutput + run.StandardError);
    }

    [Fact]
    public void Promtool_accepts_the_kubernetes_configuration()
    {
        if (PromtoolOrStructuralChecks() is not { } promtool) return;
        var run = ExternalTool.Run(promtool, ["check", "config", PrometheusFiles.KubernetesConfig], Repository.Root);
        if (!run.Succeeded && (run.StandardOutput + run.StandardError).Contains("field kubernetes_sd_configs not found", StringComparison.Ordinal))
        {
            // Debian builds Prometheus without Kubernetes discovery. Check everything else of the file: the same
            // configuration with static targets in place of the discovery block.
            using var scratch = new TempFolder();
            var path = Path.Combine(scratch.Path, "prometheus-kubernetes.static.yml");
            File.WriteAllText(path, WithoutKubernetesDiscovery(PrometheusFiles.KubernetesConfig));
            run = ExternalTool.Run(promtool, ["check", "config", path], scratch.Path);
        }
        Assert.True(run.Succeeded, run.Describe());
    }

    [Fact]
    public void Promtool_runs_the_rules_unit_tests_and_they_pass()
    {
        if (PromtoolOrStructuralChecks() is not { } promtool) return;
        var run = ExternalTool.Run(promtool, ["test", "rules", PrometheusFiles.RuleTests], Repository.Root);
        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("SUCCESS", run.StandardOutput + run.StandardError);
    }

    [Fact]
    public void The_discovery_free_copy_keeps_relabelling_and_points_rule_files_at_the_repository()
    {
        var copy = Assert.Single(Yaml.LoadText(WithoutKubernetesDiscovery(PrometheusFiles.KubernetesConfig), "copy"));
        var job = Assert.Single(copy.Root.At("scrape_configs").Items());
        Assert.Null(job.At("kubernetes_sd_configs"));
        Assert.NotEmpty(job.At("static_configs").Items());
        Assert.Equal(PrometheusFiles.Load(PrometheusFiles.KubernetesConfig).Root.At("scrape_configs").Items()[0].At("relabel_configs").Items().Count,
            job.At("relabel_configs").Items().Count);
        Assert.Equal([Repository.PathOf(PrometheusFiles.Rules)], copy.Root.At("rule_files").Items().Select(f => f.Text()));
    }

    /// <summary>The configuration with each kubernetes_sd_configs replaced by a static target and rule files made absolute.</summary>
    private static string WithoutKubernetesDiscovery(string relative)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Repository.ReadText(relative)));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        foreach (var job in root.At("scrape_configs").Items().OfType<YamlMappingNode>())
            if (job.Children.Remove(new YamlScalarNode("kubernetes_sd_configs")))
                job.Children[new YamlScalarNode("static_configs")] = new YamlSequenceNode(
                    new YamlMappingNode(new YamlScalarNode("targets"), new YamlSequenceNode(new YamlScalarNode("127.0.0.1:9"))));
        root.Children[new YamlScalarNode("rule_files")] = new YamlSequenceNode(PrometheusFiles.RuleFiles(relative).Select(f => new YamlScalarNode(f)));
        var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
