using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Infra.Tests.Support;

/// <summary>One YAML document and where it came from ("infra/k8s/base/services/sft.yaml:3").</summary>
public sealed record YamlDocumentAt(string Origin, YamlNode Root);

/// <summary>Loading YAML with positions for messages, and small navigation helpers over the node tree.</summary>
public static class Yaml
{
    /// <summary>Every non-empty document of a (multi-document) YAML file in the repository.</summary>
    public static IReadOnlyList<YamlDocumentAt> LoadFile(string path) =>
        LoadText(File.ReadAllText(path), Repository.Relative(path));

    /// <summary>Every non-empty document of YAML text; <paramref name="origin"/> names it in messages.</summary>
    public static IReadOnlyList<YamlDocumentAt> LoadText(string text, string origin)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{origin}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}", e);
        }
        return stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => new YamlDocumentAt($"{origin}:{d.RootNode.Start.Line}", d.RootNode))
            .ToList();
    }

    /// <summary>The node at a path of mapping keys, or null where any key is missing.</summary>
    public static YamlNode? At(this YamlNode? node, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node))
                return null;
        }
        return node;
    }

    /// <summary>The scalar text of a node, or null for a missing or non-scalar node.</summary>
    public static string? Text(this YamlNode? node) => node is YamlScalarNode scalar ? scalar.Value : null;

    /// <summary>The scalar at a path of mapping keys, or null.</summary>
    public static string? TextAt(this YamlNode? node, params string[] keys) => node.At(keys).Text();

    /// <summary>The items of a sequence node; empty for a missing or non-sequence node.</summary>
    public static IReadOnlyList<YamlNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    /// <summary>The key/value pairs of a mapping node with scalar keys and values; empty for anything else.</summary>
    public static IReadOnlyDictionary<string, string> Pairs(this YamlNode? node) =>
        node is YamlMappingNode mapping
            ? mapping.Children
                .Where(kv => kv.Key is YamlScalarNode { Value: not null } && kv.Value is YamlScalarNode)
                .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? "")
            : new Dictionary<string, string>();

    /// <summary>The keys of a mapping node; empty for anything else.</summary>
    public static IReadOnlyList<string> Keys(this YamlNode? node) =>
        node is YamlMappingNode mapping ? mapping.Children.Keys.Select(k => k.Text() ?? "").ToList() : [];

    /// <summary>"file:line" of a node inside a document, for messages.</summary>
    public static string Where(this YamlDocumentAt document, YamlNode node) =>
        $"{document.Origin[..document.Origin.LastIndexOf(':')]}:{node.Start.Line}";
}
