using Pipeline.Safetensors;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Checkpoints;

/// <summary>
/// Copies a checkpoint's tensors into parameters by name, strictly: a parameter without a tensor, a tensor without a
/// parameter (unless ignored) or a shape mismatch is one error listing them all, raised before any weight is copied.
/// Shared by causal LMs (<see cref="CausalLmLoader"/>) and models built on one (the reward model's classifier).
/// </summary>
public static class StrictWeightLoader
{
    /// <param name="parameters">Parameters by their checkpoint name.</param>
    /// <param name="isTransposed">Whether the checkpoint stores a parameter transposed (GPT-2's Conv1D).</param>
    /// <param name="isIgnored">Checkpoint keys to skip without calling them unexpected.</param>
    /// <param name="heading">The error's first line (which checkpoint, against what).</param>
    /// <param name="hint">An optional last line of the error.</param>
    public static void Load(ShardedSafetensors checkpoint, IReadOnlyDictionary<string, Tensor> parameters,
        Func<string, bool> isTransposed, Func<string, bool> isIgnored, string heading, string? hint = null)
    {
        var missing = parameters.Keys.Where(name => !checkpoint.Contains(name)).ToList();
        var unexpected = checkpoint.Tensors.Select(t => t.Name).Where(name => !parameters.ContainsKey(name) && !isIgnored(name)).ToList();
        var badShapes = parameters.Where(p => checkpoint.Contains(p.Key))
            .Select(p => (p.Key, Expected: isTransposed(p.Key) ? [.. p.Value.shape.Reverse()] : p.Value.shape, Actual: checkpoint.GetInfo(p.Key).Shape))
            .Where(s => !s.Expected.SequenceEqual(s.Actual))
            .Select(s => $"{s.Key}: checkpoint [{string.Join(", ", s.Actual)}], model expects [{string.Join(", ", s.Expected)}]").ToList();
        if (missing.Count + unexpected.Count + badShapes.Count > 0)
        {
            var lines = new List<string> { heading };
            if (missing.Count > 0) lines.Add($"  missing keys ({missing.Count}): {string.Join(", ", missing)}");
            if (unexpected.Count > 0) lines.Add($"  unexpected keys ({unexpected.Count}): {string.Join(", ", unexpected)}");
            if (badShapes.Count > 0) lines.Add($"  shape mismatches ({badShapes.Count}): {string.Join("; ", badShapes)}");
            if (hint is not null) lines.Add(hint);
            throw new CheckpointMismatchException(string.Join(Environment.NewLine, lines));
        }

        using var _ = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            using var scope = NewDisposeScope();
            var info = checkpoint.GetInfo(name);
            var loaded = empty(info.Shape, TensorDtypes.ToTorch(info.DType, name));
            checkpoint.ShardOf(name).CopyTo(name, loaded.bytes);
            if (isTransposed(name)) loaded = loaded.t();                      // Conv1D [in, out] → Linear [out, in]
            parameter.copy_(loaded);
        }
    }
}
