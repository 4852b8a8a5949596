using TorchSharp.Modules;

namespace Pipeline.Training.Loop;

/// <summary>
/// Splits trainable parameters into AdamW's two groups. Weight decay shrinks matrices toward zero, which
/// regularizes; on a norm's gain it pulls the scale toward 0 and on a bias toward the origin, which only
/// hurts, so those (every 1-D tensor, plus anything named like a bias or a norm) are exempt, as in
/// transformers' Trainer and nanoGPT.
/// </summary>
public static class ParameterGroups
{
    /// <summary>Whether weight decay applies to a parameter with this name and shape.</summary>
    public static bool IsDecayed(string name, IReadOnlyList<long> shape)
    {
        if (shape.Count < 2) return false;
        var leaf = name[(name.LastIndexOf('.') + 1)..];
        if (leaf == "bias") return false;
        return !name.Split('.').Any(part => part.Contains("norm", StringComparison.OrdinalIgnoreCase) || part.StartsWith("ln_", StringComparison.Ordinal));
    }

    /// <summary>The decayed and the exempt parameters, each in the given order.</summary>
    public static (IReadOnlyList<(string Name, Parameter Parameter)> Decay, IReadOnlyList<(string Name, Parameter Parameter)> NoDecay) Split(
        IEnumerable<(string Name, Parameter Parameter)> parameters)
    {
        var decay = new List<(string, Parameter)>();
        var noDecay = new List<(string, Parameter)>();
        foreach (var (name, parameter) in parameters)
            (IsDecayed(name, parameter.shape) ? decay : noDecay).Add((name, parameter));
        return (decay, noDecay);
    }
}
