using Pipeline.Modeling.Adapters.Lora;
using TorchSharp;

namespace Pipeline.Modeling.Adapters;

/// <summary>Which modules an adapter's target_modules name, matched as PEFT matches a list of names (the whole name or its last dotted parts).</summary>
public static class AdapterTargets
{
    /// <summary>
    /// The modules the targets name, in module order. A target that matches nothing, or a matched module that the
    /// adapter cannot wrap, is an error naming <paramref name="key"/> and listing what exists.
    /// </summary>
    /// <param name="key">The setting, e.g. "ia3: target_modules".</param>
    /// <param name="accepts">Whether the adapter can wrap a module.</param>
    /// <param name="what">What the adapter wraps, e.g. "linear layers".</param>
    public static IReadOnlyList<(string Name, torch.nn.Module Module)> Resolve(torch.nn.Module model, IReadOnlyList<string> targets, string key,
        Func<torch.nn.Module, bool> accepts, string what)
    {
        var modules = model.named_modules().Where(m => m.name.Length > 0).ToList();
        if (modules.Any(m => m.module is IAdapterLayer))
            throw new InvalidOperationException("The model already has adapter layers; merge and unload them before applying another adapter.");
        var unmatched = targets.Where(t => !modules.Any(m => LoraTargets.Matches(m.name, t))).ToList();
        if (unmatched.Count > 0)
        {
            var candidates = modules.Where(m => accepts(m.module)).Select(m => m.name[(m.name.LastIndexOf('.') + 1)..]).Distinct().Order(StringComparer.Ordinal);
            throw new AdapterConfigException($"{key}: {string.Join(", ", unmatched.Select(t => $"\"{t}\""))} matches no module of this model; " +
                $"its {what} are named: {string.Join(", ", candidates)}.");
        }
        var matched = modules.Where(m => targets.Any(t => LoraTargets.Matches(m.name, t))).ToList();
        var wrong = matched.Where(m => !accepts(m.module)).ToList();
        if (wrong.Count > 0)
            throw new AdapterConfigException($"{key}: only {what} can be targeted; " +
                string.Join("; ", wrong.Select(m => $"'{m.name}' is a {m.module.GetType().Name}")) + ".");
        return [.. matched.Select(m => (m.name, m.module))];
    }
}
