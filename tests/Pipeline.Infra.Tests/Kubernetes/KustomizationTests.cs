using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>Every kustomization's references, and every YAML file under infra/, checked without kubectl.</summary>
public sealed class KustomizationTests
{
    public const string KubernetesDirectory = "infra/k8s";

    [Fact]
    public void Every_resource_component_patch_and_generator_file_a_kustomization_names_exists()
    {
        var kustomizations = KustomizationFile.FindAll(Repository.PathOf(KubernetesDirectory));
        Assert.True(kustomizations.Count >= 3, $"expected the base and two overlays under {KubernetesDirectory}; found {kustomizations.Count} kustomizations.");
        var problems = new List<string>();
        foreach (var k in kustomizations)
        {
            foreach (var resource in k.Resources.Concat(k.Components))
            {
                var path = Path.Combine(k.Directory, resource);
                if (Directory.Exists(path) ? KustomizationFile.PathIn(path) is null : !File.Exists(path))
                    problems.Add($"{k.Origin}: '{resource}' is neither a file nor a folder with a kustomization.yaml");
            }
            foreach (var patch in k.Patches)
                if (patch.Path is { } file ? !File.Exists(Path.Combine(k.Directory, file)) : string.IsNullOrWhiteSpace(patch.Inline))
                    problems.Add($"{k.Origin}: patch '{patch.Path}' has no file, or an inline patch is empty");
            foreach (var file in k.GeneratorFiles)
                if (!File.Exists(Path.Combine(k.Directory, file)))
                    problems.Add($"{k.Origin}: generator file '{file}' does not exist");
        }
        ManifestAssert.NoProblems(problems, KubernetesDirectory);
    }

    [Fact]
    public void Every_YAML_file_under_infra_parses()
    {
        var files = Directory.EnumerateFiles(Repository.PathOf("infra"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).ToList();
        Assert.True(files.Count >= 20, $"expected the manifests, Prometheus and Grafana files; found {files.Count} YAML files under infra/.");
        var problems = new List<string>();
        foreach (var file in files)
        {
            try
            {
                if (Yaml.LoadFile(file).Count == 0) problems.Add($"{Repository.Relative(file)}: holds no YAML document");
            }
            catch (InvalidDataException e)
            {
                problems.Add(e.Message);
            }
        }
        ManifestAssert.NoProblems(problems, "YAML under infra/");
    }

    [Theory]
    [InlineData("infra/k8s/overlays/dev")]
    [InlineData("infra/k8s/overlays/gpu")]
    public void Every_patch_replica_count_and_image_of_an_overlay_applies_to_something_it_includes(string overlay)
    {
        ManifestAssert.NoProblems(OverlayStructure.Problems(Repository.PathOf(overlay)), overlay);
    }
}
