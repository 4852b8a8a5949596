using System.Collections.Concurrent;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>How the overlays are checked: rendered by kubectl, or (without it) their files structurally.</summary>
public enum OverlayCheck
{
    Rendered,
    Structural,
}

/// <summary>Renders kustomizations with <c>kubectl kustomize</c> (offline; no cluster needed).</summary>
public static class Kustomize
{
    /// <summary>Set to 1 (CI) to make a missing kubectl a failure rather than a fall-back to structural checks.</summary>
    public const string RequireVariable = "PIPELINE_REQUIRE_KUBECTL";

    public static readonly string MissingKubectl =
        $"kubectl is not on PATH, and {RequireVariable}=1 asks for the overlays to be rendered with `kubectl kustomize`. " +
        "Install kubectl 1.27 or newer (its bundled kustomize must know `labels:`, `replicas:` and targeted `patches:`; " +
        "Debian 12's kubernetes-client package is 1.20 with kustomize 2.0.3, too old), or unset " + RequireVariable + ".";

    private static readonly ConcurrentDictionary<string, IReadOnlyList<KubernetesObject>> Rendered = new();

    /// <summary>Which check applies, given where kubectl is (null: absent) and whether it is required.</summary>
    public static OverlayCheck Choose(string? kubectl, bool required) =>
        kubectl is not null ? OverlayCheck.Rendered
        : required ? throw new InvalidOperationException(MissingKubectl)
        : OverlayCheck.Structural;

    /// <summary>The check for this machine: kubectl from PATH, the requirement from the environment.</summary>
    public static OverlayCheck ChooseHere() => Choose(ExternalTool.Find("kubectl"), ExternalTool.Required(RequireVariable));

    /// <summary>The objects `kubectl kustomize` renders for a folder relative to the repository root (cached).</summary>
    public static IReadOnlyList<KubernetesObject> Render(string relativeDirectory) =>
        Rendered.GetOrAdd(relativeDirectory, directory =>
        {
            var kubectl = ExternalTool.Find("kubectl") ?? throw new InvalidOperationException(MissingKubectl);
            var run = ExternalTool.Run(kubectl, ["kustomize", directory], Repository.Root);
            if (!run.Succeeded) throw new InvalidOperationException($"Rendering {directory} failed. {run.Describe()}");
            return KubernetesObject.FromText(run.StandardOutput, $"kubectl kustomize {directory}");
        });
}
