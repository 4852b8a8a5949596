using k8s;
using k8s.Models;

namespace Pipeline.Infra.Tests.Kubernetes.Keda;

// KEDA's two kinds as its CRDs define them (keda.sh/v1alpha1, KEDA 2.12+), field for field for what a ScaledObject
// and a TriggerAuthentication may hold here, so that the strict loader rejects a misspelt or misplaced field the way
// the API server would. Trigger metadata is a string map in the CRD; RabbitMQScaler checks its keys.

[KubernetesEntity(Group = "keda.sh", ApiVersion = "v1alpha1", Kind = "ScaledObject", PluralName = "scaledobjects")]
public sealed class ScaledObject : IKubernetesObject<V1ObjectMeta>, ISpec<ScaledObjectSpec>
{
    public string ApiVersion { get; set; } = "keda.sh/v1alpha1";
    public string Kind { get; set; } = "ScaledObject";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ScaledObjectSpec Spec { get; set; } = new();
}

public sealed class ScaledObjectSpec
{
    public ScaleTarget ScaleTargetRef { get; set; } = new();
    public int? PollingInterval { get; set; }
    public int? InitialCooldownPeriod { get; set; }
    public int? CooldownPeriod { get; set; }
    public int? IdleReplicaCount { get; set; }
    public int? MinReplicaCount { get; set; }
    public int? MaxReplicaCount { get; set; }
    public ScaledObjectFallback? Fallback { get; set; }
    public ScaledObjectAdvanced? Advanced { get; set; }
    public List<ScaleTrigger> Triggers { get; set; } = [];
}

public sealed class ScaleTarget
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public string Name { get; set; } = "";
    public string? EnvSourceContainerName { get; set; }
}

public sealed class ScaledObjectFallback
{
    public int FailureThreshold { get; set; }
    public int Replicas { get; set; }
    public string? Behavior { get; set; }
}

public sealed class ScaledObjectAdvanced
{
    public bool? RestoreToOriginalReplicaCount { get; set; }
    public HorizontalPodAutoscalerConfig? HorizontalPodAutoscalerConfig { get; set; }
}

public sealed class HorizontalPodAutoscalerConfig
{
    public string? Name { get; set; }
    public V2HorizontalPodAutoscalerBehavior? Behavior { get; set; }
}

public sealed class ScaleTrigger
{
    public string Type { get; set; } = "";
    public string? Name { get; set; }
    public bool? UseCachedMetrics { get; set; }
    public string? MetricType { get; set; }
    public Dictionary<string, string> Metadata { get; set; } = [];
    public AuthenticationRef? AuthenticationRef { get; set; }
}

public sealed class AuthenticationRef
{
    public string Name { get; set; } = "";
    public string? Kind { get; set; }
}

[KubernetesEntity(Group = "keda.sh", ApiVersion = "v1alpha1", Kind = "TriggerAuthentication", PluralName = "triggerauthentications")]
public sealed class TriggerAuthentication : IKubernetesObject<V1ObjectMeta>, ISpec<TriggerAuthenticationSpec>
{
    public string ApiVersion { get; set; } = "keda.sh/v1alpha1";
    public string Kind { get; set; } = "TriggerAuthentication";
    public V1ObjectMeta Metadata { get; set; } = new();
    public TriggerAuthenticationSpec Spec { get; set; } = new();
}

public sealed class TriggerAuthenticationSpec
{
    public List<SecretTargetRef>? SecretTargetRef { get; set; }
    public List<EnvTargetRef>? Env { get; set; }
}

public sealed class SecretTargetRef
{
    public string Parameter { get; set; } = "";
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
}

public sealed class EnvTargetRef
{
    public string Parameter { get; set; } = "";
    public string Name { get; set; } = "";
    public string? ContainerName { get; set; }
}

/// <summary>The RabbitMQ scaler's metadata keys (KEDA 2.12+ docs, "RabbitMQ Queue").</summary>
public static class RabbitMQScaler
{
    public static readonly IReadOnlySet<string> MetadataKeys = new HashSet<string>
    {
        "host", "protocol", "mode", "value", "activationValue", "queueName", "vhostName", "hostFromEnv", "usernameFromEnv",
        "passwordFromEnv", "unsafeSsl", "timeout", "excludeUnacknowledged", "pageSize", "operation", "useRegex",
    };
}
