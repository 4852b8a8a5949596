namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>The workload rules on small hand-written Deployments: silent on a good one, specific on each fault.</summary>
public sealed class WorkloadRulesTests
{
    private const string Good = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: sft
        spec:
          selector:
            matchLabels: { app: sft }
          template:
            metadata:
              labels: { app: sft }
              annotations:
                prometheus.io/scrape: "true"
                prometheus.io/port: "8080"
                prometheus.io/path: /metrics
            spec:
              terminationGracePeriodSeconds: 120
              nodeSelector:
                nvidia.com/gpu.present: "true"
              tolerations:
                - { key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }
              containers:
                - name: sft
                  image: pipeline/sft
                  ports:
                    - { name: http, containerPort: 8080 }
                  env:
                    - name: ConnectionStrings__messaging
                      valueFrom: { secretKeyRef: { name: pipeline-connections, key: messaging } }
                    - name: ConnectionStrings__artifacts
                      valueFrom: { secretKeyRef: { name: pipeline-connections, key: artifacts } }
                  resources:
                    requests: { cpu: "1", memory: 1Gi, nvidia.com/gpu: 1 }
                    limits: { cpu: "2", memory: 2Gi, nvidia.com/gpu: 1 }
                  readinessProbe:
                    httpGet: { path: /health, port: http }
                  livenessProbe:
                    httpGet: { path: /alive, port: 8080 }
        """;

    private static KubernetesObject Parse(string yaml) => Assert.Single(KubernetesObject.FromText(yaml, "test.yaml"));

    private static KubernetesObject Edit(string from, string to)
    {
        Assert.Contains(from, Good);
        return Parse(Good.Replace(from, to));
    }

    [Fact]
    public void A_complete_trainer_Deployment_has_no_problems()
    {
        Assert.Empty(WorkloadRules.ServiceDeployment(Parse(Good)));
        Assert.Empty(WorkloadRules.TrainerOnGpu(Parse(Good)));
    }

    [Fact]
    public void A_liveness_probe_on_the_readiness_endpoint_is_named_with_the_container_and_the_line()
    {
        var problem = Assert.Single(WorkloadRules.ServiceDeployment(Edit("path: /alive", "path: /health")));
        Assert.Equal("Deployment sft (test.yaml:1): container sft: livenessProbe.httpGet.path is '/health'; the liveness endpoint is /alive", problem);
    }

    [Fact]
    public void A_missing_readiness_probe_is_reported()
    {
        var problem = Assert.Single(WorkloadRules.ServiceDeployment(Edit("readinessProbe:\n            httpGet: { path: /health, port: http }", "terminationMessagePath: /dev/termination-log")));
        Assert.EndsWith("container sft: readinessProbe must be an httpGet on /health (readiness); it has none", problem);
    }

    [Fact]
    public void A_probe_on_an_undeclared_port_is_reported()
    {
        var problem = Assert.Single(WorkloadRules.ServiceDeployment(Edit("path: /alive, port: 8080", "path: /alive, port: 9090")));
        Assert.EndsWith("container sft: livenessProbe.httpGet.port '9090' is none of the container's ports (http)", problem);
    }

    [Fact]
    public void A_missing_memory_limit_is_reported()
    {
        var problem = Assert.Single(WorkloadRules.ServiceDeployment(Edit("limits: { cpu: \"2\", memory: 2Gi,", "limits: { cpu: \"2\",")));
        Assert.EndsWith("container sft: resources.limits.memory is not set; every container needs cpu and memory requests and limits", problem);
    }

    [Fact]
    public void A_missing_or_literal_connection_string_is_reported()
    {
        var missing = Assert.Single(WorkloadRules.ServiceDeployment(Edit("name: ConnectionStrings__artifacts", "name: Unrelated")));
        Assert.EndsWith("container sft: env has no ConnectionStrings__artifacts; every service reads it at start-up", missing);
        var literal = Assert.Single(WorkloadRules.ServiceDeployment(Edit(
            "valueFrom: { secretKeyRef: { name: pipeline-connections, key: messaging } }", "value: amqp://guest:guest@rabbitmq:5672/")));
        Assert.EndsWith("env ConnectionStrings__messaging must come from a Secret or ConfigMap (valueFrom), not a literal in the manifest", literal);
    }

    [Fact]
    public void Scrape_annotations_must_name_a_container_port()
    {
        var problem = Assert.Single(WorkloadRules.ServiceDeployment(Edit("prometheus.io/port: \"8080\"", "prometheus.io/port: \"9464\"")));
        Assert.EndsWith("the annotation prometheus.io/port is '9464'; it must be a containerPort (8080)", problem);
        Assert.Single(WorkloadRules.ServiceDeployment(Edit("prometheus.io/scrape: \"true\"", "prometheus.io/scrape: \"false\"")));
    }

    [Fact]
    public void A_trainer_without_a_GPU_or_a_long_enough_grace_period_is_reported()
    {
        var noGpu = WorkloadRules.TrainerOnGpu(Edit("limits: { cpu: \"2\", memory: 2Gi, nvidia.com/gpu: 1 }", "limits: { cpu: \"2\", memory: 2Gi }"));
        Assert.EndsWith("container sft: resources.limits.nvidia.com/gpu is '(missing)'; a trainer replica uses exactly one GPU", Assert.Single(noGpu));
        var shortGrace = WorkloadRules.TrainerOnGpu(Edit("terminationGracePeriodSeconds: 120", "terminationGracePeriodSeconds: 30"));
        Assert.EndsWith("terminationGracePeriodSeconds is 30; a trainer needs at least 120 s to stop and checkpoint", Assert.Single(shortGrace));
        var noToleration = WorkloadRules.TrainerOnGpu(Edit("- { key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }", "- { key: dedicated, operator: Exists }"));
        Assert.EndsWith("needs a toleration for the nvidia.com/gpu taint of GPU nodes", Assert.Single(noToleration));
    }

    [Fact]
    public void A_CPU_workload_asking_for_a_GPU_is_reported_once_per_resource_field_and_selector()
    {
        var problems = WorkloadRules.WithoutGpu(Parse(Good));
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.EndsWith("resources.requests.nvidia.com/gpu is 1; this must run without GPUs", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("nodeSelector nvidia.com/gpu.present restricts it to GPU nodes", StringComparison.Ordinal));
    }

    [Fact]
    public void Json_pointers_resolve_through_mappings_sequences_and_escaped_slashes()
    {
        var root = Parse(Good).Root;
        Assert.Equal("1", Support.Yaml.Text(OverlayStructure.Resolve(root, "/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu")));
        Assert.Null(OverlayStructure.Resolve(root, "/spec/template/spec/containers/1"));
        Assert.Null(OverlayStructure.Resolve(root, "/spec/template/spec/affinity"));
        Assert.Same(root, OverlayStructure.Resolve(root, ""));
    }

    [Theory]
    [InlineData("pipeline/sft", "pipeline/sft")]
    [InlineData("pipeline/sft:1.4.0", "pipeline/sft")]
    [InlineData("registry.example.com:5000/pipeline/sft:latest", "registry.example.com:5000/pipeline/sft")]
    [InlineData("registry.example.com:5000/pipeline/sft", "registry.example.com:5000/pipeline/sft")]
    [InlineData("rabbitmq@sha256:0123abcd", "rabbitmq")]
    public void Image_names_drop_the_tag_or_digest_but_not_a_registry_port(string image, string name)
    {
        Assert.Equal(name, OverlayStructure.ImageName(image));
    }
}
