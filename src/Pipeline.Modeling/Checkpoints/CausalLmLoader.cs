using Pipeline.Modeling.Configuration;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Checkpoints;

/// <summary>
/// Loads and saves models in the Hugging Face layout: config.json plus model.safetensors (or shards with
/// model.safetensors.index.json), tensors named exactly as transformers names them.
/// </summary>
public static class CausalLmLoader
{
    /// <summary>
    /// Reads <paramref name="directory"/>/config.json, builds the model and copies every tensor in by name.
    /// A parameter without a tensor, a tensor without a parameter, or a shape mismatch is an error listing
    /// them all; keys transformers itself ignores (<see cref="CausalLanguageModel.IsIgnoredCheckpointKey"/>) are skipped.
    /// </summary>
    /// <param name="dtype">Parameter dtype; null: the config's torch_dtype.</param>
    public static CausalLanguageModel Load(string directory, Device? device = null, ScalarType? dtype = null)
    {
        var config = ModelConfigJson.Load(directory);
        var model = ModelFactory.Create(config);
        using (var checkpoint = ShardedSafetensors.Open(directory))
            LoadWeights(model, checkpoint, directory);
        return ModelFactory.MoveTo(model, device, dtype ?? config.ScalarType);
    }

    /// <summary>Copies the checkpoint's tensors into the model's parameters (strict name and shape match).</summary>
    public static void LoadWeights(CausalLanguageModel model, ShardedSafetensors checkpoint, string source)
    {
        var parameters = model.state_dict();
        var missing = parameters.Keys.Where(name => !checkpoint.Contains(name)).ToList();
        var unexpected = checkpoint.Tensors.Select(t => t.Name)
            .Where(name => !parameters.ContainsKey(name) && !model.IsIgnoredCheckpointKey(name)).ToList();
        var badShapes = parameters.Where(p => checkpoint.Contains(p.Key))
            .Select(p => (p.Key, Expected: CheckpointShape(model, p.Key, p.Value), Actual: checkpoint.GetInfo(p.Key).Shape))
            .Where(s => !s.Expected.SequenceEqual(s.Actual))
            .Select(s => $"{s.Key}: checkpoint [{string.Join(", ", s.Actual)}], model expects [{string.Join(", ", s.Expected)}]").ToList();
        if (missing.Count + unexpected.Count + badShapes.Count > 0)
            throw new CheckpointMismatchException(MismatchMessage(source, model, missing, unexpected, badShapes));

        using var _ = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            using var scope = NewDisposeScope();
            var info = checkpoint.GetInfo(name);
            var loaded = empty(info.Shape, TensorDtypes.ToTorch(info.DType, name));
            checkpoint.ShardOf(name).CopyTo(name, loaded.bytes);
            if (model.IsTransposedInCheckpoint(name)) loaded = loaded.t();     // Conv1D [in, out] → Linear [out, in]
            parameter.copy_(loaded);
        }
    }

    /// <summary>
    /// Writes config.json and the weights (one model.safetensors, or shards past <paramref name="maxShardBytes"/>)
    /// in the dtype the parameters have; <paramref name="dtype"/> converts on the way out and is recorded as torch_dtype.
    /// </summary>
    public static void Save(CausalLanguageModel model, string directory, ScalarType? dtype = null, long? maxShardBytes = null)
    {
        var stateDict = model.state_dict();
        var outputType = dtype ?? stateDict.Values.First().dtype;
        var payloads = stateDict.Select(p => Payload(model, p.Key, p.Value, outputType)).ToList();
        var options = new ShardedWriteOptions();
        if (maxShardBytes is { } limit) options = options with { MaxShardSizeBytes = limit };
        ShardedSafetensorsWriter.Write(directory, payloads, options);
        ModelConfigJson.Save(model.Config with { TorchDtype = ModelConfigJson.DtypeName(outputType) }, directory);
    }

    private static TensorPayload Payload(CausalLanguageModel model, string name, Tensor parameter, ScalarType dtype)
    {
        var shape = CheckpointShape(model, name, parameter);
        return TensorPayload.FromWriter(name, TensorDtypes.ToSafetensors(dtype), shape, stream =>
        {
            // Converted one tensor at a time, when the writer reaches it, so a save never doubles the model in memory.
            using var scope = NewDisposeScope();
            var value = parameter.detach();
            if (model.IsTransposedInCheckpoint(name)) value = value.t();      // Linear [out, in] → Conv1D [in, out]
            var bytes = value.to(CPU).to(dtype).contiguous();
            stream.Write(bytes.bytes);
        });
    }

    private static long[] CheckpointShape(CausalLanguageModel model, string name, Tensor parameter) =>
        model.IsTransposedInCheckpoint(name) ? [.. parameter.shape.Reverse()] : parameter.shape;

    private static string MismatchMessage(string source, CausalLanguageModel model,
        List<string> missing, List<string> unexpected, List<string> badShapes)
    {
        var lines = new List<string> { $"The checkpoint in '{source}' does not match the {model.Config.ModelType} model its config.json describes:" };
        if (missing.Count > 0) lines.Add($"  missing keys ({missing.Count}): {string.Join(", ", missing)}");
        if (unexpected.Count > 0) lines.Add($"  unexpected keys ({unexpected.Count}): {string.Join(", ", unexpected)}");
        if (badShapes.Count > 0) lines.Add($"  shape mismatches ({badShapes.Count}): {string.Join("; ", badShapes)}");
        lines.Add("Names must equal transformers' parameter names (e.g. model.layers.0.self_attn.q_proj.weight).");
        return string.Join(Environment.NewLine, lines);
    }
}
