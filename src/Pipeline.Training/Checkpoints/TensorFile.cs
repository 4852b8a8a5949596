using Pipeline.Modeling.Checkpoints;
using Pipeline.Safetensors;
using static TorchSharp.torch;

namespace Pipeline.Training.Checkpoints;

/// <summary>Named tensors to and from one safetensors file, bytes unchanged (so a resume is bit-exact).</summary>
public static class TensorFile
{
    public static void Write(string path, IEnumerable<(string Name, Tensor Value)> tensors) =>
        SafetensorsWriter.Write(path, tensors.Select(t => TensorPayload.FromWriter(
            t.Name, TensorDtypes.ToSafetensors(t.Value.dtype), t.Value.shape, stream =>
            {
                using var scope = NewDisposeScope();
                stream.Write(t.Value.detach().cpu().contiguous().bytes);
            })).ToList());

    /// <summary>
    /// Copies each named tensor of the file into its destination (any device), checking that the names are
    /// exactly the file's and that dtypes and shapes agree; every mismatch is listed in one error.
    /// </summary>
    public static void ReadInto(string path, IReadOnlyList<(string Name, Tensor Destination)> destinations)
    {
        using var file = SafetensorsFile.Open(path);
        var problems = new List<string>();
        var wanted = destinations.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, destination) in destinations)
        {
            if (!file.TryGetInfo(name, out var info)) { problems.Add($"missing tensor '{name}'"); continue; }
            var dtype = TensorDtypes.ToTorch(info.DType, name);
            if (dtype != destination.dtype || !info.Shape.SequenceEqual(destination.shape))
                problems.Add($"'{name}' is {info.DType} {info.ShapeText} in the file but {destination.dtype} [{string.Join(", ", destination.shape)}] here");
        }
        problems.AddRange(file.Tensors.Where(t => !wanted.Contains(t.Name)).Select(t => $"unexpected tensor '{t.Name}'"));
        if (problems.Count > 0)
            throw new TrainingCheckpointException($"{path} does not match this run: {string.Join("; ", problems)}. " +
                "A checkpoint resumes only the run that wrote it (same model, training method and trainable parameters).");

        using var _ = no_grad();
        foreach (var (name, destination) in destinations)
        {
            using var scope = NewDisposeScope();
            var info = file.GetInfo(name);
            var loaded = empty(info.Shape, destination.dtype);
            file.CopyTo(name, loaded.bytes);
            destination.copy_(loaded);
        }
    }
}
