using Pipeline.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Infra.Tests.Kubernetes;

/// <summary>
/// Checks an overlay without rendering it: every patch, replica count and image it names has something in
/// what it includes to apply to, and every JSON patch operation's path exists in each object it targets
/// (kustomize fails on a `remove` or `replace` of a missing path).
/// </summary>
public static class OverlayStructure
{
    public static IReadOnlyList<string> Problems(string overlayDirectory)
    {
        var kustomization = KustomizationFile.Load(overlayDirectory);
        var declared = kustomization.DeclaredObjects();
        var problems = new List<string>();

        foreach (var patch in kustomization.Patches)
        {
            var where = $"{kustomization.Origin}: patch {patch.Path ?? "(inline)"}";
            string text;
            if (patch.Path is not null)
            {
                var file = Path.Combine(overlayDirectory, patch.Path);
                if (!File.Exists(file)) { problems.Add($"{where}: file does not exist"); continue; }
                text = File.ReadAllText(file);
            }
            else text = patch.Inline ?? "";

            IReadOnlyList<YamlDocumentAt> documents;
            try { documents = Yaml.LoadText(text, patch.Path is null ? where : Repository.Relative(Path.Combine(overlayDirectory, patch.Path))); }
            catch (InvalidDataException e) { problems.Add($"{where}: {e.Message}"); continue; }

            if (documents.Count == 1 && documents[0].Root is YamlSequenceNode operations)
            {
                if (!patch.HasTarget) { problems.Add($"{where}: a JSON patch needs a target"); continue; }
                var targets = declared.Where(o => Matches(patch, o)).ToList();
                if (targets.Count == 0) problems.Add($"{where}: its target matches nothing the overlay includes");
                foreach (var target in targets) problems.AddRange(CheckOperations(where, operations, target.Object));
                continue;
            }
            foreach (var document in documents)
            {
                var kind = document.Root.TextAt("kind");
                var name = document.Root.TextAt("metadata", "name");
                var matches = patch.HasTarget
                    ? declared.Where(o => Matches(patch, o))
                    : declared.Where(o => o.Object.Kind == kind && o.Object.Name == name);
                if (!matches.Any())
                    problems.Add($"{document.Origin}: patches {kind} {name}, which nothing the overlay includes declares");
            }
        }

        var workloads = declared.Where(o => o.Object.IsWorkload).Select(o => o.Object).ToList();
        foreach (var (name, count) in kustomization.Replicas)
        {
            if (!workloads.Any(w => w.Name == name)) problems.Add($"{kustomization.Origin}: replicas names '{name}', which is no Deployment or StatefulSet");
            if (count < 0) problems.Add($"{kustomization.Origin}: replicas of '{name}' is not a non-negative number");
        }
        var images = workloads.SelectMany(w => w.Containers).Select(c => ImageName(c.TextAt("image") ?? "")).ToHashSet();
        foreach (var (name, _, _) in kustomization.Images)
            if (!images.Contains(name)) problems.Add($"{kustomization.Origin}: images names '{name}', which no container uses");
        return problems;
    }

    /// <summary>The image reference without its tag or digest ("pipeline/sft:1.0" → "pipeline/sft").</summary>
    public static string ImageName(string image)
    {
        var at = image.IndexOf('@');
        if (at >= 0) image = image[..at];
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[..colon] : image;
    }

    /// <summary>Whether a patch's target (kind, name, equality-based labelSelector) selects an object.</summary>
    public static bool Matches(KustomizePatch patch, DeclaredObject candidate)
    {
        if (patch.TargetKind is not null && candidate.Object.Kind != patch.TargetKind) return false;
        if (patch.TargetName is not null && candidate.Object.Name != patch.TargetName) return false;
        if (patch.TargetLabelSelector is null) return true;
        foreach (var requirement in patch.TargetLabelSelector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = requirement.Split('=', 2);
            if (parts.Length != 2 || !candidate.Labels.TryGetValue(parts[0], out var value) || value != parts[1]) return false;
        }
        return true;
    }

    private static IEnumerable<string> CheckOperations(string where, YamlSequenceNode operations, KubernetesObject target)
    {
        foreach (var operation in operations.Children)
        {
            var op = operation.TextAt("op");
            var path = operation.TextAt("path") ?? "";
            switch (op)
            {
                case "remove" or "replace" or "test":
                    if (Resolve(target.Root, path) is null)
                        yield return $"{where}: '{op} {path}' on {target}: the path does not exist there";
                    break;
                case "add":
                    var parent = path.Contains('/') ? path[..path.LastIndexOf('/')] : "";
                    if (Resolve(target.Root, parent) is null)
                        yield return $"{where}: 'add {path}' on {target}: the parent {parent} does not exist there";
                    break;
                case "move" or "copy":
                    if (Resolve(target.Root, operation.TextAt("from") ?? "") is null)
                        yield return $"{where}: '{op} from {operation.TextAt("from")}' on {target}: the path does not exist there";
                    break;
                default:
                    yield return $"{where}: operation '{op}' is not a JSON patch operation (add, remove, replace, move, copy, test)";
                    break;
            }
        }
    }

    /// <summary>The node at a JSON pointer (RFC 6901: "/a/0/b~1c"), or null where it does not exist.</summary>
    public static YamlNode? Resolve(YamlNode root, string pointer)
    {
        if (pointer.Length == 0) return root;
        if (pointer[0] != '/') return null;
        var node = root;
        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/").Replace("~0", "~");
            node = node switch
            {
                YamlMappingNode mapping => mapping.Children.TryGetValue(new YamlScalarNode(token), out var child) ? child : null,
                YamlSequenceNode sequence => int.TryParse(token, out var i) && i >= 0 && i < sequence.Children.Count ? sequence.Children[i] : null,
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }
}
