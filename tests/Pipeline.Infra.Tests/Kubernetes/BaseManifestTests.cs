using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>The files of infra/k8s/base, read as they are (no kubectl needed).</summary>
public sealed class BaseManifestTests
{
    public const string BaseDirectory = "infra/k8s/base";

    private static readonly Lazy<KustomizationFile> Kustomization = new(() => KustomizationFile.Load(Repository.PathOf(BaseDirectory)));
    private static readonly Lazy<IReadOnlyList<KubernetesObject>> Objects =
        new(() => Kustomization.Value.DeclaredObjects().Select(o => o.Object).ToList());

    private static IEnumerable<KubernetesObject> OfKind(string kind) => Objects.Value.Where(o => o.Kind == kind);
    private static KubernetesObject Single(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => o.Name == name) ?? throw new InvalidOperationException($"{BaseDirectory} declares no {kind} {name}.");

    [Fact]
    public void There_is_one_Deployment_and_one_Service_per_service_of_the_local_scripts()
    {
        ManifestAssert.SameNames(PipelineServices.All, OfKind("Deployment").Select(d => d.Name), $"Deployments in {BaseDirectory} vs {PipelineServices.ServicesScript}");
        foreach (var name in PipelineServices.All)
        {
            var deployment = Single("Deployment", name);
            var service = Single("Service", name);
            Assert.True(KubernetesObject.Selects(service.Selector, deployment.PodLabels), $"{service} does not select the pods of {deployment}.");
            var portNames = deployment.Containers.SelectMany(c => c.At("ports").Items()).Select(p => p.TextAt("name")).ToHashSet();
            foreach (var port in service.Root.At("spec", "ports").Items())
                Assert.True(portNames.Contains(port.TextAt("targetPort")), $"{service}: targetPort '{port.TextAt("targetPort")}' is not a named port of {deployment}.");
        }
    }

    [Fact]
    public void Every_service_Deployment_has_probes_resources_connection_strings_and_scrape_annotations()
    {
        ManifestAssert.NoProblems(OfKind("Deployment").SelectMany(WorkloadRules.ServiceDeployment), BaseDirectory);
    }

    [Fact]
    public void Trainers_ask_for_one_GPU_on_GPU_nodes_and_the_other_services_for_none()
    {
        var deployments = OfKind("Deployment").ToList();
        ManifestAssert.NoProblems(deployments.Where(d => PipelineServices.Trainers.Contains(d.Name)).SelectMany(WorkloadRules.TrainerOnGpu), "trainers");
        ManifestAssert.NoProblems(deployments.Where(d => !PipelineServices.Trainers.Contains(d.Name)).SelectMany(WorkloadRules.WithoutGpu), "CPU services");
        ManifestAssert.SameNames(PipelineServices.Trainers,
            deployments.Where(d => d.Labels.GetValueOrDefault("app.kubernetes.io/component") == "trainer").Select(d => d.Name),
            "Deployments labelled app.kubernetes.io/component=trainer (the dev overlay's patches select them by it)");
    }

    [Fact]
    public void Every_trainer_has_a_disruption_budget_that_still_lets_nodes_drain()
    {
        foreach (var trainer in PipelineServices.Trainers)
        {
            var deployment = Single("Deployment", trainer);
            var budgets = OfKind("PodDisruptionBudget").Where(b => KubernetesObject.Selects(b.Selector, deployment.PodLabels)).ToList();
            var budget = Assert.Single(budgets);
            Assert.True(int.TryParse(budget.Root.TextAt("spec", "maxUnavailable"), out var maxUnavailable) && maxUnavailable >= 1,
                $"{budget}: spec.maxUnavailable must be at least 1; 0 (or minAvailable = replicas) blocks node drains for good.");
            var others = OfKind("Deployment").Where(d => d.Name != trainer && KubernetesObject.Selects(budget.Selector, d.PodLabels)).Select(d => d.Name).ToList();
            Assert.True(others.Count == 0, $"{budget} also selects the pods of {string.Join(", ", others)}.");
        }
    }

    [Fact]
    public void Every_worker_scales_on_its_queues_with_KEDA_and_nothing_else_pins_or_autoscales_its_replica_count()
    {
        ManifestAssert.SameNames(["ingestion", "synthesis", "sft", "reward-model", "ppo", "evaluation"], PipelineServices.Workers, "services that consume stage queues");
        ManifestAssert.SameNames(PipelineServices.Workers, OfKind("ScaledObject").Select(o => o.Name), $"ScaledObjects in {BaseDirectory}");
        foreach (var worker in PipelineServices.Workers)
        {
            var deployment = Single("Deployment", worker);
            Assert.True(deployment.Replicas is null, $"{deployment} sets spec.replicas; KEDA owns the count, and every apply would reset it (starting a GPU pod for nothing).");
            Assert.DoesNotContain(Kustomization.Value.Replicas, r => r.Name == worker);
        }
        // KEDA drives its own HorizontalPodAutoscaler; a second one on the same Deployment fights it.
        Assert.Empty(OfKind("HorizontalPodAutoscaler"));
        Assert.Equal(1, Single("Deployment", "api").Replicas);
    }

    [Fact]
    public void Trainer_replicas_start_at_zero_and_are_capped_one_per_GPU_by_their_ScaledObject()
    {
        foreach (var trainer in PipelineServices.Trainers)
        {
            var scaled = Single("ScaledObject", trainer);
            Assert.Equal("0", scaled.Root.TextAt("spec", "minReplicaCount"));
            Assert.True(int.TryParse(scaled.Root.TextAt("spec", "maxReplicaCount"), out var max) && max >= 1,
                $"{scaled}: spec.maxReplicaCount must be the number of GPUs {trainer} may use (at least 1).");
        }
    }

    [Fact]
    public void Every_service_image_is_a_placeholder_the_kustomization_images_list_sets()
    {
        var images = Kustomization.Value.Images.ToDictionary(i => i.Name);
        foreach (var deployment in OfKind("Deployment"))
        {
            var image = Assert.Single(deployment.Containers).TextAt("image");
            Assert.True(image == $"pipeline/{deployment.Name}", $"{deployment}: image is '{image}'; expected the placeholder pipeline/{deployment.Name} (kustomize `images:` sets the tag).");
            Assert.True(images.TryGetValue(image, out var entry) && !string.IsNullOrEmpty(entry.NewTag),
                $"{Kustomization.Value.Origin}: `images:` needs an entry for {image} with a newTag.");
        }
    }

    [Fact]
    public void RabbitMQ_and_Azurite_run_as_StatefulSets_with_persistent_volumes()
    {
        var rabbit = Single("StatefulSet", "rabbitmq");
        var azurite = Single("StatefulSet", "azurite");
        Assert.Equal("rabbitmq:3.13-management", Assert.Single(rabbit.Containers).TextAt("image"));
        Assert.Equal("mcr.microsoft.com/azure-storage/azurite", OverlayStructure.ImageName(Assert.Single(azurite.Containers).TextAt("image") ?? ""));
        foreach (var set in new[] { rabbit, azurite })
        {
            Assert.NotEmpty(set.Root.At("spec", "volumeClaimTemplates").Items());
            Assert.NotNull(Single("Service", set.Root.TextAt("spec", "serviceName") ?? ""));
        }
        Assert.Equal("/metrics/per-object", rabbit.PodAnnotations.GetValueOrDefault("prometheus.io/path"));
    }

    [Fact]
    public void The_development_connection_strings_point_at_the_in_cluster_RabbitMQ_and_Azurite()
    {
        var connections = Single("Secret", "pipeline-connections").Root.At("stringData");
        var messaging = new Uri(connections.TextAt("messaging") ?? throw new InvalidOperationException("pipeline-connections has no stringData.messaging."));
        var rabbitService = Single("Service", messaging.Host);
        Assert.Contains(rabbitService.Root.At("spec", "ports").Items(), p => p.TextAt("port") == messaging.Port.ToString());
        var credentials = Single("Secret", "rabbitmq-credentials").Root.At("stringData");
        Assert.Equal($"{credentials.TextAt("username")}:{credentials.TextAt("password")}", messaging.UserInfo);

        var artifacts = (connections.TextAt("artifacts") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        var blob = new Uri(artifacts.GetValueOrDefault("BlobEndpoint") ?? throw new InvalidOperationException("The artifacts connection string has no BlobEndpoint."));
        var azuriteService = Single("Service", blob.Host);
        Assert.Contains(azuriteService.Root.At("spec", "ports").Items(), p => p.TextAt("port") == blob.Port.ToString());
        Assert.Equal($"/{artifacts.GetValueOrDefault("AccountName")}", blob.AbsolutePath);
    }

    [Fact]
    public void Everything_lands_in_the_pipeline_namespace()
    {
        Assert.Equal("pipeline", Kustomization.Value.Namespace);
        Assert.NotNull(Single("Namespace", "pipeline"));
    }
}
