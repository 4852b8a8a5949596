using System.Reflection;
using k8s;
using k8s.Models;
using Pipeline.Infra.Tests.Kubernetes.Keda;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>
/// Rendered manifests read with KubernetesClient's strict YAML loader, as the API server would read them: every kind
/// the client knows plus KEDA's, and an unknown or misplaced field is an error naming the document.
/// </summary>
public static class StrictObjects
{
    private static readonly Lazy<Dictionary<string, Type>> TypeMap = new(() =>
    {
        var map = new Dictionary<string, Type>();
        foreach (var type in typeof(V1Pod).Assembly.GetTypes().Concat([typeof(ScaledObject), typeof(TriggerAuthentication)]))
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { Kind.Length: > 0 } entity)
                map[$"{(string.IsNullOrEmpty(entity.Group) ? "" : entity.Group + "/")}{entity.ApiVersion}/{entity.Kind}"] = type;
        return map;
    });

    /// <summary>Every document of <paramref name="yaml"/> as a typed object; throws naming the first document that does not fit its kind.</summary>
    public static IReadOnlyList<object> Load(string yaml, string origin)
    {
        var documents = yaml.Split("\n---", StringSplitOptions.RemoveEmptyEntries).Where(d => d.Trim().Length > 0 && d.Trim() != "---").ToList();
        var objects = new List<object>();
        foreach (var document in documents)
        {
            try
            {
                objects.AddRange(KubernetesYaml.LoadAllFromString(document, TypeMap.Value, strict: true));
            }
            catch (Exception e)
            {
                var head = string.Join(" ", document.Split('\n').Where(l => l.StartsWith("kind:") || l.StartsWith("  name:")).Take(2).Select(l => l.Trim()));
                throw new InvalidDataException($"{origin}: the object [{head}] does not load strictly: {e.Message}", e);
            }
        }
        return objects;
    }
}
