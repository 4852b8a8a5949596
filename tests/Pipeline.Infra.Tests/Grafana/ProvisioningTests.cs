using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Grafana;

public sealed class ProvisioningTests
{
    private const string Datasources = "infra/grafana/provisioning/datasources/prometheus.yml";
    private const string Providers = "infra/grafana/provisioning/dashboards/pipeline.yml";

    [Fact]
    public void The_provisioned_Prometheus_datasource_is_the_one_the_dashboard_selects_by_default()
    {
        var document = Assert.Single(Yaml.LoadFile(Repository.PathOf(Datasources)));
        Assert.Equal("1", document.Root.TextAt("apiVersion"));
        var datasource = Assert.Single(document.Root.At("datasources").Items());
        Assert.Equal("prometheus", datasource.TextAt("type"));
        Assert.True(Uri.TryCreate(datasource.TextAt("url"), UriKind.Absolute, out _), $"{Datasources}: url '{datasource.TextAt("url")}' is not an absolute URL.");

        var dashboard = Dashboard.Load();
        var variable = Assert.Single(dashboard.Variables, v => Dashboard.String(v, "type") == "datasource");
        Assert.True(variable.TryGetProperty("current", out var current));
        Assert.Equal(datasource.TextAt("uid"), Dashboard.String(current, "value"));
    }

    [Fact]
    public void The_dashboard_provider_loads_dashboard_files_from_a_folder()
    {
        var document = Assert.Single(Yaml.LoadFile(Repository.PathOf(Providers)));
        Assert.Equal("1", document.Root.TextAt("apiVersion"));
        var provider = Assert.Single(document.Root.At("providers").Items());
        Assert.Equal("file", provider.TextAt("type"));
        Assert.StartsWith("/", provider.TextAt("options", "path"));
    }
}
