using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>
/// The overlays as kubectl renders them (`kubectl kustomize`, offline). Without kubectl these fall back to the
/// structural checks of the overlay's files, unless PIPELINE_REQUIRE_KUBECTL=1 makes a missing kubectl a failure.
/// </summary>
public sealed class OverlayTests
{
    public const string Dev = "infra/k8s/overlays/dev";
    public const string Gpu = "infra/k8s/overlays/gpu";

    /// <summary>The rendered objects, or null after the structural checks passed where kubectl is absent.</summary>
    private static IReadOnlyList<KubernetesObject>? RenderOrCheckStructure(string overlay)
    {
        if (Kustomize.ChooseHere() == OverlayCheck.Rendered) return Kustomize.Render(overlay);
        ManifestAssert.NoProblems(OverlayStructure.Problems(Repository.PathOf(overlay)), $"{overlay} (structural: kubectl is not on PATH)");
        return null;
    }

    [Theory]
    [InlineData(Dev)]
    [InlineData(Gpu)]
    public void Every_service_Deployment_of_the_rendered_overlay_passes_the_workload_rules(string overlay)
    {
        if (RenderOrCheckStructure(overlay) is not { } objects) return;
        var deployments = objects.Where(o => o.Kind == "Deployment").ToList();
        ManifestAssert.SameNames(PipelineServices.All, deployments.Select(d => d.Name), $"Deployments rendered from {overlay}");
        ManifestAssert.NoProblems(deployments.SelectMany(WorkloadRules.ServiceDeployment), overlay);
    }

    [Theory]
    [InlineData(Dev)]
    [InlineData(Gpu)]
    public void Everything_rendered_is_in_the_pipeline_namespace_and_every_reference_resolves(string overlay)
    {
        if (RenderOrCheckStructure(overlay) is not { } objects) return;
        var problems = new List<string>();
        foreach (var o in objects.Where(o => o.Kind != "Namespace" && o.Namespace != "pipeline"))
            problems.Add($"{o}: namespace is '{o.Namespace}', expected pipeline");

        var configMaps = objects.Where(o => o.Kind == "ConfigMap").Select(o => o.Name).ToHashSet();
        var secrets = objects.Where(o => o.Kind == "Secret").Select(o => o.Name).ToHashSet();
        // The gpu overlay's connection strings live in a Secret the cluster's operators create (see its kustomization).
        if (overlay == Gpu) secrets.Add("pipeline-connections");
        foreach (var workload in objects.Where(o => o.IsWorkload))
            foreach (var container in workload.Containers)
            {
                foreach (var source in container.At("envFrom").Items())
                    if (source.TextAt("configMapRef", "name") is { } map && !configMaps.Contains(map))
                        problems.Add($"{workload}: envFrom names ConfigMap {map}, which the overlay does not render");
                foreach (var variable in container.At("env").Items())
                {
                    if (variable.TextAt("valueFrom", "secretKeyRef", "name") is { } secret && !secrets.Contains(secret))
                        problems.Add($"{workload}: env {variable.TextAt("name")} reads Secret {secret}, which the overlay does not render");
                    if (variable.TextAt("valueFrom", "configMapKeyRef", "name") is { } map && !configMaps.Contains(map))
                        problems.Add($"{workload}: env {variable.TextAt("name")} reads ConfigMap {map}, which the overlay does not render");
                }
                var image = container.TextAt("image") ?? "";
                if (OverlayStructure.ImageName(image) == image) problems.Add($"{workload}: image '{image}' has no tag");
            }

        var workloads = objects.Where(o => o.IsWorkload).ToList();
        foreach (var selecting in objects.Where(o => o.Kind is "Service" or "PodDisruptionBudget"))
            if (!workloads.Any(w => KubernetesObject.Selects(selecting.Selector, w.PodLabels)))
                problems.Add($"{selecting}: its selector matches the pods of no Deployment or StatefulSet");
        foreach (var autoscaler in objects.Where(o => o.Kind == "HorizontalPodAutoscaler"))
            if (!workloads.Any(w => w.Kind == autoscaler.Root.TextAt("spec", "scaleTargetRef", "kind") && w.Name == autoscaler.Root.TextAt("spec", "scaleTargetRef", "name")))
                problems.Add($"{autoscaler}: scaleTargetRef names no rendered workload");
        ManifestAssert.NoProblems(problems, overlay);
    }

    [Fact]
    public void Dev_runs_every_service_once_on_CPU_with_the_in_cluster_broker_and_storage()
    {
        if (RenderOrCheckStructure(Dev) is not { } objects) return;
        var workloads = objects.Where(o => o.IsWorkload).ToList();
        ManifestAssert.NoProblems(workloads.SelectMany(WorkloadRules.WithoutGpu), Dev);
        foreach (var deployment in workloads.Where(w => w.Kind == "Deployment"))
        {
            if (PipelineServices.Workers.Contains(deployment.Name))
            {
                var scaled = objects.Single(o => o.Kind == "ScaledObject" && o.Name == deployment.Name);
                Assert.True(deployment.Replicas is null && scaled.Root.TextAt("spec", "maxReplicaCount") == "1",
                    $"{deployment}: dev runs at most one of each worker, started by KEDA (replicas unset, {scaled} maxReplicaCount 1).");
            }
            else Assert.True(deployment.Replicas == 1, $"{deployment}: replicas is {deployment.Replicas?.ToString() ?? "unset"}; dev runs one of each.");
        }
        foreach (var trainer in workloads.Where(w => PipelineServices.Trainers.Contains(w.Name)))
            Assert.True(trainer.PodSpec.At("tolerations") is null && trainer.PodSpec.At("nodeSelector") is null,
                $"{trainer}: keeps a GPU nodeSelector or toleration; dev trainers run on any node.");
        Assert.DoesNotContain(objects, o => o.Kind == "HorizontalPodAutoscaler");
        ManifestAssert.SameNames(["rabbitmq", "azurite"], workloads.Where(w => w.Kind == "StatefulSet").Select(w => w.Name), $"StatefulSets of {Dev}");
        Assert.Contains(objects, o => o.Kind == "Secret" && o.Name == "pipeline-connections");
    }

    [Fact]
    public void Gpu_puts_trainers_on_GPUs_and_reads_broker_and_storage_from_an_external_Secret()
    {
        if (RenderOrCheckStructure(Gpu) is not { } objects) return;
        var deployments = objects.Where(o => o.Kind == "Deployment").ToList();
        var trainers = deployments.Where(d => PipelineServices.Trainers.Contains(d.Name)).ToList();
        ManifestAssert.SameNames(PipelineServices.Trainers, trainers.Select(t => t.Name), $"trainer Deployments of {Gpu}");
        ManifestAssert.NoProblems(trainers.SelectMany(WorkloadRules.TrainerOnGpu), Gpu);
        ManifestAssert.NoProblems(deployments.Except(trainers).SelectMany(WorkloadRules.WithoutGpu), Gpu);
        foreach (var trainer in trainers)
        {
            var scaled = objects.Single(o => o.Kind == "ScaledObject" && o.Name == trainer.Name);
            Assert.True(int.TryParse(scaled.Root.TextAt("spec", "maxReplicaCount"), out var gpus) && gpus >= 1,
                $"{scaled}: maxReplicaCount must be the number of GPUs {trainer.Name} may hold (at least 1).");
            Assert.True(trainer.Replicas is null, $"{trainer}: replicas is set; KEDA owns it.");
        }

        Assert.DoesNotContain(objects, o => o.Kind == "StatefulSet");
        Assert.DoesNotContain(objects, o => o.Kind == "Secret");
        ManifestAssert.SameNames(PipelineServices.Workers, objects.Where(o => o.Kind == "ScaledObject").Select(o => o.Name), $"ScaledObjects of {Gpu}");
        Assert.DoesNotContain(objects, o => o.Kind == "HorizontalPodAutoscaler");
        ManifestAssert.SameNames(PipelineServices.Trainers, objects.Where(o => o.Kind == "PodDisruptionBudget").Select(o => o.Name), $"PodDisruptionBudgets of {Gpu}");
    }

    [Fact]
    public void Without_kubectl_the_overlays_are_checked_structurally_unless_kubectl_is_required()
    {
        Assert.Equal(OverlayCheck.Rendered, Kustomize.Choose("/usr/bin/kubectl", required: true));
        Assert.Equal(OverlayCheck.Rendered, Kustomize.Choose("/usr/bin/kubectl", required: false));
        Assert.Equal(OverlayCheck.Structural, Kustomize.Choose(null, required: false));
        var missing = Assert.Throws<InvalidOperationException>(() => Kustomize.Choose(null, required: true));
        Assert.Contains("kubectl is not on PATH", missing.Message);
        Assert.Contains(Kustomize.RequireVariable, missing.Message);
    }
}
