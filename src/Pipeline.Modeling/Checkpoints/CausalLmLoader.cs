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
    public static void LoadWeights(CausalLanguageModel model, ShardedSafetensors checkpoint, string source) =>
        StrictWeightLoader.Load(checkpoint, model.state_dict(), model.IsTransposedInCheckpoint, model.IsIgnoredCheckpointKey,
            $"The checkpoint in '{source}' does not match the {model.Config.ModelType} model its config.json describes:",
            "Names must equal transformers' parameter names (e.g. model.layers.0.self_attn.q_proj.weight).");

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
}
