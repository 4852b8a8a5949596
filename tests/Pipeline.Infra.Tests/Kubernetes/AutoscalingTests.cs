using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Kubernetes.Keda;
using Pipeline.Infra.Tests.Support;
using Pipeline.Orchestration.Stages;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>
/// KEDA scales every worker from zero on the RabbitMQ queues its service consumes. Checked on kubectl's rendering of
/// each overlay (strictly typed, KEDA's kinds included), or, without kubectl, on the base's files.
/// </summary>
public sealed partial class AutoscalingTests
{
    private static (IReadOnlyList<KubernetesObject> Objects, string Origin) Objects(string overlay) =>
        Kustomize.ChooseHere() == OverlayCheck.Rendered
            ? (Kustomize.Render(overlay), $"kubectl kustomize {overlay}")
            : (KustomizationFile.Load(Repository.PathOf(BaseManifestTests.BaseDirectory)).DeclaredObjects().Select(o => o.Object).ToList(), $"{BaseManifestTests.BaseDirectory} (kubectl is not on PATH)");

    [Fact]
    public void The_queues_each_service_consumes_are_read_from_its_Program_cs()
    {
        Assert.Equal(["ingest-shards", "stage-ingest"], ServiceQueues.All["ingestion"].Order());
        Assert.Equal(["stage-pretrain", "stage-sft"], ServiceQueues.All["sft"].Order());
        Assert.Equal(["stage-dpo", "stage-grpo", "stage-ppo"], ServiceQueues.All["ppo"].Order());
        Assert.Equal(["stage-reward-model"], ServiceQueues.All["reward-model"].Order());
        Assert.Empty(ServiceQueues.All["api"]);
    }

    [Theory]
    [InlineData(OverlayTests.Dev)]
    [InlineData(OverlayTests.Gpu)]
    public void Every_worker_scales_from_zero_on_exactly_the_queues_its_service_consumes_counting_unacknowledged_deliveries(string overlay)
    {
        var (objects, origin) = Objects(overlay);
        var problems = new List<string>();
        var secrets = objects.Where(o => o.Kind == "Secret").ToDictionary(o => o.Name);
        var authentications = objects.Where(o => o.Kind == "TriggerAuthentication").ToDictionary(o => o.Name);
        foreach (var (service, queues) in ServiceQueues.All)
        {
            var scaled = objects.Where(o => o.Kind == "ScaledObject" && o.Root.TextAt("spec", "scaleTargetRef", "name") == service).ToList();
            if (queues.Count == 0)
            {
                if (scaled.Count > 0) problems.Add($"{scaled[0]}: {service} consumes no stage queue; nothing should scale it");
                continue;
            }
            if (scaled.Count != 1)
            {
                problems.Add($"{service}: expected one ScaledObject targeting its Deployment, found {scaled.Count} in {origin}");
                continue;
            }
            var so = scaled[0];
            if (so.Root.TextAt("spec", "scaleTargetRef", "kind") is { } kind && kind != "Deployment") problems.Add($"{so}: scaleTargetRef.kind is {kind}");
            if (!objects.Any(o => o.Kind == "Deployment" && o.Name == service)) problems.Add($"{so}: no Deployment {service} is rendered");
            if (so.Root.TextAt("spec", "minReplicaCount") != "0") problems.Add($"{so}: minReplicaCount must be 0 (no pod, no GPU, while its queues are empty)");
            var triggers = so.Root.At("spec", "triggers").Items();
            var watched = triggers.Select(t => t.TextAt("metadata", "queueName") ?? "(none)").ToList();
            if (!watched.Order().SequenceEqual(queues.Order()))
                problems.Add($"{so}: watches [{string.Join(", ", watched)}], but {service} consumes [{string.Join(", ", queues.Order())}] (src/Services/*/Program.cs)");
            foreach (var trigger in triggers)
            {
                var queue = trigger.TextAt("metadata", "queueName");
                if (trigger.TextAt("type") != "rabbitmq") problems.Add($"{so}: trigger for {queue} is '{trigger.TextAt("type")}', expected rabbitmq");
                foreach (var key in trigger.At("metadata").Keys().Where(k => !RabbitMQScaler.MetadataKeys.Contains(k)))
                    problems.Add($"{so}: trigger {queue}: '{key}' is not a RabbitMQ scaler setting ({string.Join(", ", RabbitMQScaler.MetadataKeys)})");
                // Over AMQP KEDA sees ready messages only: a replica busy with a slice would look idle and be removed.
                if (trigger.TextAt("metadata", "protocol") != "http") problems.Add($"{so}: trigger {queue}: protocol must be http (the management API counts unacknowledged deliveries)");
                if (trigger.TextAt("metadata", "excludeUnacknowledged") is "true") problems.Add($"{so}: trigger {queue}: excludeUnacknowledged would let KEDA remove busy replicas");
                if (trigger.TextAt("metadata", "mode") != "QueueLength" || trigger.TextAt("metadata", "value") != "1")
                    problems.Add($"{so}: trigger {queue}: mode QueueLength with value \"1\" (one job per replica) expected");
                var authName = trigger.TextAt("authenticationRef", "name");
                if (authName is null || !authentications.TryGetValue(authName, out var auth))
                {
                    problems.Add($"{so}: trigger {queue}: authenticationRef '{authName}' names no rendered TriggerAuthentication");
                    continue;
                }
                foreach (var target in auth.Root.At("spec", "secretTargetRef").Items())
                {
                    var (secretName, key) = (target.TextAt("name") ?? "", target.TextAt("key") ?? "");
                    if (secrets.TryGetValue(secretName, out var secret))
                    {
                        if (secret.Root.At("stringData", key) is null && secret.Root.At("data", key) is null)
                            problems.Add($"{auth}: Secret {secretName} has no key {key}");
                    }
                    else if (!(overlay == OverlayTests.Gpu && secretName == "pipeline-connections"))
                        problems.Add($"{auth}: reads Secret {secretName}, which {origin} does not render");
                }
            }
        }
        ManifestAssert.NoProblems(problems, origin);
    }

    [Theory]
    [InlineData(OverlayTests.Dev)]
    [InlineData(OverlayTests.Gpu)]
    public void The_topology_Job_runs_with_a_pinned_image_the_rendered_topology_and_the_management_URL(string overlay)
    {
        if (Kustomize.ChooseHere() != OverlayCheck.Rendered) return; // the base's files are checked by the other tests; names are hashed only when rendered
        var objects = Kustomize.Render(overlay);
        var job = objects.Single(o => o.Kind == "Job" && o.Name == "rabbitmq-topology");
        var problems = new List<string>();
        var configMaps = objects.Where(o => o.Kind == "ConfigMap").ToDictionary(o => o.Name);
        var secrets = objects.Where(o => o.Kind == "Secret").ToDictionary(o => o.Name);
        foreach (var volume in job.PodSpec.At("volumes").Items())
            if (volume.TextAt("configMap", "name") is { } map && !configMaps.TryGetValue(map, out _))
                problems.Add($"{job}: volume {volume.TextAt("name")} mounts ConfigMap {map}, which {overlay} does not render");
            else if (volume.TextAt("configMap", "name") is { } present && configMaps[present].Root.At("data", "stage-topology.json") is null)
                problems.Add($"{job}: ConfigMap {present} has no stage-topology.json");
        foreach (var container in job.Containers)
        {
            var image = container.TextAt("image") ?? "";
            if (OverlayStructure.ImageName(image) == image) problems.Add($"{job}: image '{image}' has no tag");
            foreach (var variable in container.At("env").Items())
                if (variable.TextAt("valueFrom", "secretKeyRef", "name") is { } secret)
                {
                    var key = variable.TextAt("valueFrom", "secretKeyRef", "key") ?? "";
                    if (secrets.TryGetValue(secret, out var s) ? s.Root.At("stringData", key) is null && s.Root.At("data", key) is null
                                                              : overlay != OverlayTests.Gpu || secret != "pipeline-connections")
                        problems.Add($"{job}: env {variable.TextAt("name")} reads {secret}/{key}, which {overlay} does not render");
                }
        }
        ManifestAssert.NoProblems(problems, overlay);
    }

    [Theory]
    [InlineData(OverlayTests.Dev)]
    [InlineData(OverlayTests.Gpu)]
    public void Every_rendered_object_loads_strictly_as_its_kind(string overlay)
    {
        string text;
        if (Kustomize.ChooseHere() == OverlayCheck.Rendered)
        {
            var run = ExternalTool.Run(ExternalTool.Find("kubectl")!, ["kustomize", overlay], Repository.Root);
            Assert.True(run.Succeeded, run.Describe());
            text = run.StandardOutput;
        }
        else
        {
            // Without kubectl: the base's own object files (patches are fragments, not objects).
            var files = Directory.GetFiles(Repository.PathOf(BaseManifestTests.BaseDirectory), "*.yaml", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) != "kustomization.yaml");
            text = string.Join("\n---\n", files.Select(File.ReadAllText));
        }
        var loaded = StrictObjects.Load(text, overlay);
        Assert.Contains(loaded, o => o is ScaledObject);
        Assert.Contains(loaded, o => o is TriggerAuthentication);
        Assert.Contains(loaded, o => o is k8s.Models.V1Deployment);
    }

    [Fact]
    public void The_strict_loader_rejects_a_misplaced_field()
    {
        var yaml = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: sft
            spec:
              scaleTargetRef:
                name: sft
              maxReplicas: 4
              triggers: []
            """;
        var e = Assert.Throws<InvalidDataException>(() => StrictObjects.Load(yaml, "inline"));
        Assert.Contains("ScaledObject", e.Message);
    }

    /// <summary>
    /// A pod scaled away mid-stage gets SIGTERM: the host cancels the slice, hands the lease back and the delivery
    /// returns to the queue; another replica resumes from the last checkpoint, which is at most one slice old. So:
    /// the host's stop budget fits inside the grace period (the lease is handed back, not waited out), KEDA removes
    /// at most one replica per slice duration and only after the count stayed low for a slice, and the broker's
    /// consumer timeout leaves room for two slices (what StageRuntimeOptions.Validate demands of the services).
    /// </summary>
    [Fact]
    public void Termination_grace_scale_down_pace_and_broker_timeout_agree_with_the_slice_duration()
    {
        var (objects, origin) = Objects(OverlayTests.Gpu);
        var defaults = new StageRuntimeOptions();
        var problems = new List<string>();
        var configured = objects.Where(o => o.Kind == "ConfigMap").SelectMany(o => o.Root.At("data").Pairs())
            .FirstOrDefault(kv => kv.Key == "Pipeline__Runtime__SliceDuration").Value;
        var slice = configured is null ? defaults.SliceDuration : TimeSpan.Parse(configured);
        Assert.True(slice > TimeSpan.Zero);

        foreach (var worker in PipelineServices.Workers)
        {
            var deployment = objects.Single(o => o.Kind == "Deployment" && o.Name == worker);
            var grace = WorkloadRules.GracePeriodSeconds(deployment);
            foreach (var container in deployment.Containers)
            {
                var stop = container.At("env").Items().FirstOrDefault(e => e.TextAt("name") == "DOTNET_shutdownTimeoutSeconds")?.TextAt("value");
                var stopSeconds = stop is null ? 30 : int.Parse(stop); // the host's default stop budget
                if (stopSeconds >= grace)
                    problems.Add($"{deployment}: the host may take {stopSeconds} s to stop (DOTNET_shutdownTimeoutSeconds) but the grace period is {grace} s: SIGKILL would come before the lease is handed back");
            }

            var scaled = objects.Single(o => o.Kind == "ScaledObject" && o.Name == worker);
            var scaleDown = scaled.Root.At("spec", "advanced", "horizontalPodAutoscalerConfig", "behavior", "scaleDown");
            if (!int.TryParse(scaleDown.TextAt("stabilizationWindowSeconds"), out var window) || window < slice.TotalSeconds)
                problems.Add($"{scaled}: scaleDown.stabilizationWindowSeconds is '{scaleDown.TextAt("stabilizationWindowSeconds")}', expected at least one slice ({slice.TotalSeconds} s)");
            var policies = scaleDown.At("policies").Items();
            if (policies.Count == 0) problems.Add($"{scaled}: no scaleDown policy; the HPA default removes any number of pods at once");
            foreach (var policy in policies)
                if (policy.TextAt("type") != "Pods" || policy.TextAt("value") != "1" || !int.TryParse(policy.TextAt("periodSeconds"), out var period) || period < slice.TotalSeconds)
                    problems.Add($"{scaled}: scaleDown policy must remove one pod per at least {slice.TotalSeconds} s (type Pods, value 1); it is {policy.TextAt("type")} {policy.TextAt("value")} per {policy.TextAt("periodSeconds")} s");
        }

        var brokerConfig = Repository.ReadText("infra/k8s/base/rabbitmq/rabbitmq.conf");
        var timeout = ConsumerTimeout().Match(brokerConfig);
        Assert.True(timeout.Success, "infra/k8s/base/rabbitmq/rabbitmq.conf states no consumer_timeout");
        var brokerTimeout = TimeSpan.FromMilliseconds(long.Parse(timeout.Groups["ms"].Value));
        if (slice * 2 > brokerTimeout) problems.Add($"rabbitmq.conf: consumer_timeout {brokerTimeout} is less than two slices ({slice})");
        ManifestAssert.NoProblems(problems, origin);
    }

    [GeneratedRegex(@"^consumer_timeout\s*=\s*(?<ms>\d+)", RegexOptions.Multiline)]
    private static partial Regex ConsumerTimeout();
}
