using Pipeline.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>A Kubernetes object read from YAML, with the accessors the checks need.</summary>
public sealed record KubernetesObject(YamlDocumentAt Document)
{
    public YamlNode Root => Document.Root;
    public string Origin => Document.Origin;
    public string Kind => Root.TextAt("kind") ?? "";
    public string ApiVersion => Root.TextAt("apiVersion") ?? "";
    public string Name => Root.TextAt("metadata", "name") ?? "";
    public string? Namespace => Root.TextAt("metadata", "namespace");
    public IReadOnlyDictionary<string, string> Labels => Root.At("metadata", "labels").Pairs();

    /// <summary>"Deployment sft (infra/k8s/base/services/sft.yaml:5)".</summary>
    public override string ToString() => $"{Kind} {Name} ({Origin})";

    public bool IsWorkload => Kind is "Deployment" or "StatefulSet";

    public YamlNode? PodTemplate => Root.At("spec", "template");
    public YamlNode? PodSpec => Root.At("spec", "template", "spec");
    public IReadOnlyDictionary<string, string> PodLabels => Root.At("spec", "template", "metadata", "labels").Pairs();
    public IReadOnlyDictionary<string, string> PodAnnotations => Root.At("spec", "template", "metadata", "annotations").Pairs();
    public IReadOnlyList<YamlNode> Containers => PodSpec.At("containers").Items();

    /// <summary>spec.replicas, or null when the object leaves it unset (the API server defaults it to 1).</summary>
    public int? Replicas => int.TryParse(Root.TextAt("spec", "replicas"), out var n) ? n : null;

    /// <summary>spec.selector.matchLabels of a workload, PodDisruptionBudget or Service (spec.selector).</summary>
    public IReadOnlyDictionary<string, string> Selector =>
        Kind == "Service" ? Root.At("spec", "selector").Pairs() : Root.At("spec", "selector", "matchLabels").Pairs();

    public static IReadOnlyList<KubernetesObject> FromFile(string path) =>
        Yaml.LoadFile(path).Select(d => new KubernetesObject(d)).ToList();

    public static IReadOnlyList<KubernetesObject> FromText(string text, string origin) =>
        Yaml.LoadText(text, origin).Select(d => new KubernetesObject(d)).ToList();

    /// <summary>Whether every label of <paramref name="selector"/> is on <paramref name="labels"/> (an empty selector matches nothing here).</summary>
    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
