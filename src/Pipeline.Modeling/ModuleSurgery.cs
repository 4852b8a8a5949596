using System.Reflection;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Modeling;

/// <summary>
/// Finds and replaces submodules by their dotted Hugging Face names, so adapters (LoRA, QLoRA) can wrap
/// the projections: every projection is a field typed <c>Module&lt;Tensor, Tensor&gt;</c> whose name is its key.
/// </summary>
public static class ModuleSurgery
{
    /// <summary>Every Linear below <paramref name="root"/> with its fully-qualified name (e.g. model.layers.0.self_attn.q_proj).</summary>
    public static IReadOnlyList<(string Name, Linear Module)> NamedLinears(nn.Module root) =>
        [.. root.named_modules().Where(m => m.module is Linear).Select(m => (m.name, (Linear)m.module))];

    /// <summary>The submodule at a dotted name; throws naming the first part that does not exist.</summary>
    public static nn.Module GetSubmodule(nn.Module root, string dottedName)
    {
        var current = root;
        var path = "";
        foreach (var part in dottedName.Split('.'))
        {
            var child = current.named_children().FirstOrDefault(c => c.name == part).module
                ?? throw new ArgumentException($"Module '{path}' ({current.GetType().Name}) has no submodule '{part}' " +
                    $"(looking for '{dottedName}'); its submodules: {string.Join(", ", current.named_children().Select(c => c.name))}.");
            path = path.Length == 0 ? part : $"{path}.{part}";
            current = child;
        }
        return current;
    }

    /// <summary>
    /// Replaces the submodule at <paramref name="dottedName"/>: both the registration (so parameters,
    /// state_dict and .to() see the new module) and the field its parent's forward reads.
    /// Returns the module that was replaced.
    /// </summary>
    public static nn.Module ReplaceSubmodule(nn.Module root, string dottedName, nn.Module replacement)
    {
        var split = dottedName.LastIndexOf('.');
        var parent = split < 0 ? root : GetSubmodule(root, dottedName[..split]);
        var name = dottedName[(split + 1)..];
        var old = GetSubmodule(parent, name);

        var field = FindField(parent.GetType(), name)
            ?? throw new ArgumentException($"{parent.GetType().Name} has no field '{name}' to hold the replacement for '{dottedName}'.");
        if (!field.FieldType.IsInstanceOfType(replacement))
            throw new ArgumentException($"'{dottedName}' is a field of type {field.FieldType.Name}; a {replacement.GetType().Name} cannot replace it.");
        field.SetValue(parent, replacement);
        parent.register_module(name, null!);   // a null module unregisters the name
        parent.register_module(name, replacement);
        return old;
    }

    private static FieldInfo? FindField(Type? type, string name)
    {
        for (; type is not null; type = type.BaseType)
        {
            var field = type.GetField(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (field is not null) return field;
        }
        return null;
    }
}
