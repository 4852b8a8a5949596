using Pipeline.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>One patch entry of a kustomization: a file or inline text, and its optional target.</summary>
public sealed record KustomizePatch(string? Path, string? Inline, string? TargetKind, string? TargetName, string? TargetLabelSelector)
{
    public bool HasTarget => TargetKind is not null || TargetName is not null || TargetLabelSelector is not null;
}

/// <summary>
/// A kustomization.yaml read as data: what it includes, generates and patches. Enough to check that what it
/// names exists, not to render it (kubectl kustomize does that).
/// </summary>
public sealed record KustomizationFile(string Directory, YamlDocumentAt Document)
{
    public static readonly IReadOnlyList<string> FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public string Origin => Document.Origin;
    private YamlNode Root => Document.Root;

    public IReadOnlyList<string> Resources => Strings("resources");
    public IReadOnlyList<string> Components => Strings("components");
    public string? Namespace => Root.TextAt("namespace");

    public IReadOnlyList<KustomizePatch> Patches =>
        Root.At("patches").Items().Select(p => new KustomizePatch(
            p.TextAt("path"), p.TextAt("patch"),
            p.TextAt("target", "kind"), p.TextAt("target", "name"), p.TextAt("target", "labelSelector"))).ToList();

    /// <summary>(kind, name, behavior) of every configMapGenerator and secretGenerator entry.</summary>
    public IReadOnlyList<(string Kind, string Name, string Behavior)> Generated =>
    [
        .. Root.At("configMapGenerator").Items().Select(g => ("ConfigMap", g.TextAt("name") ?? "", g.TextAt("behavior") ?? "create")),
        .. Root.At("secretGenerator").Items().Select(g => ("Secret", g.TextAt("name") ?? "", g.TextAt("behavior") ?? "create")),
    ];

    /// <summary>Files the generators read (a "key=path" entry reads path).</summary>
    public IReadOnlyList<string> GeneratorFiles =>
        Root.At("configMapGenerator").Items().Concat(Root.At("secretGenerator").Items())
            .SelectMany(g => g.At("files").Items().Select(f => f.Text() ?? ""))
            .Select(f => f.Contains('=') ? f[(f.IndexOf('=') + 1)..] : f)
            .ToList();

    public IReadOnlyList<(string Name, int Count)> Replicas =>
        Root.At("replicas").Items().Select(r => (r.TextAt("name") ?? "", int.TryParse(r.TextAt("count"), out var n) ? n : -1)).ToList();

    public IReadOnlyList<(string Name, string? NewName, string? NewTag)> Images =>
        Root.At("images").Items().Select(i => (i.TextAt("name") ?? "", i.TextAt("newName"), i.TextAt("newTag"))).ToList();

    private IReadOnlyList<string> Strings(string key) => Root.At(key).Items().Select(i => i.Text() ?? "").ToList();

    public static string? PathIn(string directory) =>
        FileNames.Select(f => System.IO.Path.Combine(directory, f)).FirstOrDefault(File.Exists);

    public static KustomizationFile Load(string directory)
    {
        var path = PathIn(directory)
            ?? throw new FileNotFoundException($"{Repository.Relative(directory)} has no kustomization.yaml.");
        var documents = Yaml.LoadFile(path);
        if (documents.Count != 1 || documents[0].Root is not YamlMappingNode)
            throw new InvalidDataException($"{Repository.Relative(path)} must hold exactly one YAML mapping.");
        return new KustomizationFile(directory, documents[0]);
    }

    /// <summary>Every kustomization under a folder (infra/k8s), in path order.</summary>
    public static IReadOnlyList<KustomizationFile> FindAll(string root) =>
        System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => FileNames.Contains(System.IO.Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .Select(f => Load(System.IO.Path.GetDirectoryName(f)!))
            .ToList();

    /// <summary>Labels the `labels:` and `commonLabels:` fields add to every object.</summary>
    public IReadOnlyDictionary<string, string> AddedLabels =>
        Root.At("labels").Items().SelectMany(l => l.At("pairs").Pairs())
            .Concat(Root.At("commonLabels").Pairs())
            .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>
    /// The objects this kustomization and the ones it includes declare in files, before any transformation
    /// except the labels kustomizations add, plus stand-ins (kind and name only) for the ConfigMaps and Secrets
    /// its generators make.
    /// </summary>
    public IReadOnlyList<DeclaredObject> DeclaredObjects()
    {
        var objects = new List<DeclaredObject>();
        foreach (var resource in Resources)
        {
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, resource));
            if (System.IO.Directory.Exists(path)) objects.AddRange(Load(path).DeclaredObjects());
            else if (File.Exists(path)) objects.AddRange(KubernetesObject.FromFile(path).Select(o => new DeclaredObject(o, o.Labels)));
            else throw new FileNotFoundException($"{Origin}: resource '{resource}' does not exist ({Repository.Relative(path)}).");
        }
        foreach (var (kind, name, _) in Generated.Where(g => g.Behavior == "create"))
            objects.AddRange(KubernetesObject.FromText($"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n", $"{Origin} ({kind.ToLowerInvariant()} generator {name})")
                .Select(o => new DeclaredObject(o, o.Labels)));
        var added = AddedLabels;
        return added.Count == 0
            ? objects
            : objects.Select(o => o with { Labels = o.Labels.Concat(added).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value) }).ToList();
    }
}

/// <summary>An object as a kustomization declares it, with the labels kustomizations add to it.</summary>
public sealed record DeclaredObject(KubernetesObject Object, IReadOnlyDictionary<string, string> Labels);
