using Pipeline.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>
/// What every pipeline service's Deployment must have, as checks that return the problems they find (empty when
/// all is well), each naming the object, its file and line, and what is expected. They run on the base's files
/// and on kubectl's rendering of each overlay.
/// </summary>
public static class WorkloadRules
{
    /// <summary>The configuration keys every service reads (PipelineHostExtensions.AddPipelineRuntime).</summary>
    public static readonly IReadOnlyList<string> ConnectionStringVariables = ["ConnectionStrings__messaging", "ConnectionStrings__artifacts"];

    public const string GpuResource = "nvidia.com/gpu";

    /// <summary>The Kubernetes default when terminationGracePeriodSeconds is not set.</summary>
    public const int DefaultGracePeriodSeconds = 30;

    /// <summary>Long enough for a trainer to stop its slice and finish a checkpoint write.</summary>
    public const int TrainerGracePeriodSeconds = 120;

    public static IReadOnlyList<string> ServiceDeployment(KubernetesObject deployment)
    {
        var problems = new List<string>();
        void Problem(string what) => problems.Add($"{deployment}: {what}");

        if (deployment.Kind != "Deployment") Problem($"is a {deployment.Kind}; services run as Deployments");
        if (!KubernetesObject.Selects(deployment.Selector, deployment.PodLabels))
            Problem("spec.selector.matchLabels does not select the pod template's labels");
        if (deployment.Containers.Count == 0)
        {
            Problem("has no containers (spec.template.spec.containers)");
            return problems;
        }
        if (GracePeriodSeconds(deployment) < DefaultGracePeriodSeconds)
            Problem($"terminationGracePeriodSeconds is {GracePeriodSeconds(deployment)}; at least {DefaultGracePeriodSeconds} s lets a stage hand its work back");

        var ports = new List<(string? Name, string? Number)>();
        foreach (var container in deployment.Containers)
        {
            var name = container.TextAt("name") ?? "(unnamed)";
            var containerPorts = container.At("ports").Items().Select(p => (p.TextAt("name"), p.TextAt("containerPort"))).ToList();
            ports.AddRange(containerPorts);
            CheckProbe(container, name, "readinessProbe", "/health", "readiness", containerPorts, Problem);
            CheckProbe(container, name, "livenessProbe", "/alive", "liveness", containerPorts, Problem);
            foreach (var kind in new[] { "requests", "limits" })
                foreach (var resource in new[] { "cpu", "memory" })
                    if (string.IsNullOrWhiteSpace(container.TextAt("resources", kind, resource)))
                        Problem($"container {name}: resources.{kind}.{resource} is not set; every container needs cpu and memory requests and limits");
            CheckConnectionStrings(container, name, Problem);
        }

        var annotations = deployment.PodAnnotations;
        if (annotations.GetValueOrDefault("prometheus.io/scrape") != "true")
            Problem("the pod template needs the annotation prometheus.io/scrape: \"true\" so Prometheus finds /metrics");
        if (annotations.GetValueOrDefault("prometheus.io/path") != "/metrics")
            Problem("the pod template needs the annotation prometheus.io/path: /metrics");
        var scrapePort = annotations.GetValueOrDefault("prometheus.io/port");
        if (scrapePort is null || !ports.Any(p => p.Number == scrapePort))
            Problem($"the annotation prometheus.io/port is '{scrapePort ?? "(missing)"}'; it must be a containerPort ({string.Join(", ", ports.Select(p => p.Number))})");
        return problems;
    }

    /// <summary>A trainer: one GPU per replica, requested and limited, scheduled onto GPU nodes.</summary>
    public static IReadOnlyList<string> TrainerOnGpu(KubernetesObject deployment)
    {
        var problems = new List<string>();
        foreach (var container in deployment.Containers)
        {
            var name = container.TextAt("name") ?? "(unnamed)";
            foreach (var kind in new[] { "requests", "limits" })
            {
                var gpus = container.TextAt("resources", kind, GpuResource);
                if (gpus != "1")
                    problems.Add($"{deployment}: container {name}: resources.{kind}.{GpuResource} is '{gpus ?? "(missing)"}'; a trainer replica uses exactly one GPU");
            }
        }
        var pod = deployment.PodSpec;
        if (!pod.At("nodeSelector").Keys().Any(k => k.StartsWith("nvidia.com/", StringComparison.Ordinal)) && pod.At("affinity", "nodeAffinity") is null)
            problems.Add($"{deployment}: needs a nodeSelector (or node affinity) on an nvidia.com/ label to land on GPU nodes");
        if (!pod.At("tolerations").Items().Any(t => t.TextAt("key") == GpuResource))
            problems.Add($"{deployment}: needs a toleration for the {GpuResource} taint of GPU nodes");
        if (GracePeriodSeconds(deployment) < TrainerGracePeriodSeconds)
            problems.Add($"{deployment}: terminationGracePeriodSeconds is {GracePeriodSeconds(deployment)}; a trainer needs at least {TrainerGracePeriodSeconds} s to stop and checkpoint");
        return problems;
    }

    /// <summary>A workload that must run on any node: no GPU requested, selected or tolerated.</summary>
    public static IReadOnlyList<string> WithoutGpu(KubernetesObject workload)
    {
        var problems = new List<string>();
        foreach (var container in workload.Containers)
            foreach (var kind in new[] { "requests", "limits" })
                if (container.TextAt("resources", kind, GpuResource) is { } gpus)
                    problems.Add($"{workload}: container {container.TextAt("name")}: resources.{kind}.{GpuResource} is {gpus}; this must run without GPUs");
        if (workload.PodSpec.At("nodeSelector").Keys().FirstOrDefault(k => k.StartsWith("nvidia.com/", StringComparison.Ordinal)) is { } key)
            problems.Add($"{workload}: nodeSelector {key} restricts it to GPU nodes");
        return problems;
    }

    public static int GracePeriodSeconds(KubernetesObject workload) =>
        int.TryParse(workload.PodSpec.TextAt("terminationGracePeriodSeconds"), out var seconds) ? seconds : DefaultGracePeriodSeconds;

    private static void CheckProbe(YamlNode container, string name, string probe, string path, string purpose,
        IReadOnlyList<(string? Name, string? Number)> ports, Action<string> problem)
    {
        var httpGet = container.At(probe, "httpGet");
        if (httpGet is null)
        {
            problem($"container {name}: {probe} must be an httpGet on {path} ({purpose}); it has {(container.At(probe) is null ? "none" : "another kind")}");
            return;
        }
        var actual = httpGet.TextAt("path");
        if (actual != path)
            problem($"container {name}: {probe}.httpGet.path is '{actual}'; the {purpose} endpoint is {path}");
        var port = httpGet.TextAt("port");
        if (!ports.Any(p => p.Name == port || p.Number == port))
            problem($"container {name}: {probe}.httpGet.port '{port}' is none of the container's ports ({string.Join(", ", ports.Select(p => p.Name ?? p.Number))})");
    }

    private static void CheckConnectionStrings(YamlNode container, string name, Action<string> problem)
    {
        var env = container.At("env").Items();
        foreach (var variable in ConnectionStringVariables)
        {
            var entry = env.FirstOrDefault(e => e.TextAt("name") == variable);
            if (entry is null)
            {
                problem($"container {name}: env has no {variable}; every service reads it at start-up");
                continue;
            }
            var fromSecret = entry.At("valueFrom", "secretKeyRef");
            var fromConfigMap = entry.At("valueFrom", "configMapKeyRef");
            var reference = fromSecret ?? fromConfigMap;
            if (reference is null)
                problem($"container {name}: env {variable} must come from a Secret or ConfigMap (valueFrom), not a literal in the manifest");
            else if (string.IsNullOrEmpty(reference.TextAt("name")) || string.IsNullOrEmpty(reference.TextAt("key")))
                problem($"container {name}: env {variable}: valueFrom needs both name and key");
        }
    }
}
