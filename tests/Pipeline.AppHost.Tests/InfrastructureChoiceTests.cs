using Pipeline.AppHost;

namespace Pipeline.AppHost.Tests;

/// <summary>How the AppHost picks containers or executables for RabbitMQ and Azurite (no AppHost started).</summary>
public sealed class InfrastructureChoiceTests
{
    private static ContainerRuntimeStatus MustNotProbe() => throw new InvalidOperationException("an explicit setting must not probe the container runtime");

    [Theory]
    [InlineData("executables", InfrastructureMode.Executables)]
    [InlineData("Executables", InfrastructureMode.Executables)]
    [InlineData("containers", InfrastructureMode.Containers)]
    public void An_explicit_setting_wins_without_asking_the_container_runtime(string setting, InfrastructureMode expected)
    {
        Assert.Equal(expected, Infrastructure.Resolve(setting, MustNotProbe, "/x/.infra").Mode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("auto")]
    [InlineData("")]
    public void Auto_uses_containers_only_when_the_engine_answers(string? setting)
    {
        var answering = Infrastructure.Resolve(setting, () => new("docker", true, "engine 27.1"), "/x/.infra");
        var silent = Infrastructure.Resolve(setting, () => new("docker", false, "Cannot connect to the Docker daemon"), "/x/.infra");
        Assert.Equal(InfrastructureMode.Containers, answering.Mode);
        Assert.Equal(InfrastructureMode.Executables, silent.Mode);
        Assert.Contains("Cannot connect to the Docker daemon", silent.Reason);
    }

    [Fact]
    public void An_unknown_setting_is_refused_naming_the_key_and_the_allowed_values()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Infrastructure.Resolve("kubernetes", MustNotProbe, "/x/.infra"));
        Assert.Contains("Pipeline:Infrastructure is 'kubernetes'", e.Message);
        Assert.Contains("auto", e.Message);
        Assert.Contains("containers", e.Message);
        Assert.Contains("executables", e.Message);
    }

    [Fact]
    public void Executables_are_looked_for_where_deps_sh_installs_them()
    {
        var choice = Infrastructure.Resolve("executables", MustNotProbe, "/nowhere/.infra");
        Assert.Equal("/nowhere/.infra/azurite/node_modules/.bin/azurite-blob", choice.AzuriteBlob);
        Assert.Contains(choice.MissingExecutables(), m => m.StartsWith("Azurite (/nowhere/.infra/azurite/node_modules/.bin/azurite-blob", StringComparison.Ordinal));
    }
}
