using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Kubernetes;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Docker;

/// <summary>
/// infra/docker/Dockerfile cannot be built here (no Docker engine); these check what it assumes of the repository
/// and that build and runtime stages agree.
/// </summary>
public sealed partial class DockerfileTests
{
    private const string DockerfilePath = "infra/docker/Dockerfile";
    private static readonly Lazy<string> Dockerfile = new(() => Repository.ReadText(DockerfilePath));

    [Fact]
    public void Every_service_of_the_local_scripts_is_a_project_the_Dockerfile_can_publish_by_folder_name()
    {
        var projects = ProjectOf().Matches(Repository.ReadText(PipelineServices.ServicesScript))
            .ToDictionary(m => m.Groups["service"].Value, m => m.Groups["project"].Value);
        ManifestAssert.SameNames(PipelineServices.All, projects.Keys, $"services mapped to projects in {PipelineServices.ServicesScript}");
        foreach (var (service, project) in projects)
            Assert.True(File.Exists(Repository.PathOf($"src/Services/{project}/{project}.csproj")),
                $"{service}: src/Services/{project}/{project}.csproj does not exist, so `--build-arg SERVICE={project}` cannot publish it.");
        Assert.Contains("dotnet publish \"src/Services/$SERVICE/$SERVICE.csproj\"", Dockerfile.Value);
    }

    [Fact]
    public void Build_and_runtime_stages_share_one_base_tag_and_the_service_runs_as_PID_1_without_root()
    {
        var froms = FromLine().Matches(Dockerfile.Value).Select(m => m.Groups["image"].Value).ToList();
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:${DOTNET_TAG}", "mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG}"], froms);
        Assert.Matches(@"(?m)^ARG DOTNET_TAG=\S+$", Dockerfile.Value);
        Assert.Matches(@"(?m)^ARG SERVICE$", Dockerfile.Value);
        Assert.Matches(@"(?m)^USER \$APP_UID$", Dockerfile.Value);
        Assert.Matches(@"(?m)^ENTRYPOINT \[.*exec dotnet", Dockerfile.Value);
    }

    [Fact]
    public void The_build_context_leaves_out_build_outputs_and_local_state()
    {
        var ignored = Repository.ReadText(DockerfilePath + ".dockerignore").Split('\n', StringSplitOptions.TrimEntries);
        foreach (var entry in new[] { "**/bin/", "**/obj/", ".git/", ".infra/" })
            Assert.Contains(entry, ignored);
    }

    [GeneratedRegex(@"(?<service>[a-z-]+)\) echo (?<project>Pipeline\.[A-Za-z]+) ;;")]
    private static partial Regex ProjectOf();

    [GeneratedRegex(@"(?m)^FROM (?<image>\S+)")]
    private static partial Regex FromLine();
}
