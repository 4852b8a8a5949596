using Pipeline.Modeling.Checkpoints;
using Pipeline.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling.Adapters.Peft;

/// <summary>
/// The files of a PEFT adapter folder (adapter_config.json, adapter_model.safetensors) and their tensor I/O.
/// </summary>
public static class PeftFiles
{
    public const string ConfigFileName = "adapter_config.json";
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>
    /// Prefix of LoRA keys: PeftModel.base_model (the LoraModel) .model (the transformers model), then the
    /// transformers module path, e.g. base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight.
    /// </summary>
    public const string LoraKeyPrefix = "base_model.model.";

    /// <summary>The one key of a prompt-tuning adapter: the (virtual tokens, hidden) embedding matrix.</summary>
    public const string PromptEmbeddingsKey = "prompt_embeddings";

    /// <summary>Writes tensors under their keys, in their own dtype, with PEFT's metadata {"format": "pt"}.</summary>
    public static void WriteTensors(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var payloads = tensors.Select(kv => TensorPayload.FromWriter(kv.Key, TensorDtypes.ToSafetensors(kv.Value.dtype), kv.Value.shape, stream =>
        {
            using var scope = NewDisposeScope();
            stream.Write(kv.Value.detach().to(CPU).contiguous().bytes);
        }));
        SafetensorsWriter.Write(path, payloads, new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>The tensor <paramref name="key"/> of <paramref name="file"/>, converted to <paramref name="dtype"/>, on the CPU.</summary>
    public static Tensor ReadTensor(SafetensorsFile file, string key, ScalarType dtype)
    {
        var info = file.GetInfo(key);
        var loaded = empty(info.Shape, TensorDtypes.ToTorch(info.DType, key));
        file.CopyTo(key, loaded.bytes);
        return loaded.to(dtype);
    }

    /// <summary>
    /// Checks that <paramref name="file"/> holds exactly the <paramref name="expected"/> keys with the expected
    /// shapes; otherwise throws one error listing every missing, unexpected and mis-shaped key.
    /// </summary>
    public static void CheckKeys(SafetensorsFile file, IReadOnlyDictionary<string, long[]> expected, string what)
    {
        var missing = expected.Keys.Where(k => !file.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var unexpected = file.Tensors.Select(t => t.Name).Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var badShapes = expected.Where(e => file.Contains(e.Key) && !file.GetInfo(e.Key).Shape.SequenceEqual(e.Value))
            .Select(e => $"{e.Key}: file {file.GetInfo(e.Key).ShapeText}, model expects [{string.Join(", ", e.Value)}]").ToList();
        if (missing.Count + unexpected.Count + badShapes.Count == 0) return;
        var lines = new List<string> { $"The adapter weights in '{file.Path}' do not match {what}:" };
        if (missing.Count > 0) lines.Add($"  missing keys ({missing.Count}): {string.Join(", ", missing)}");
        if (unexpected.Count > 0) lines.Add($"  unexpected keys ({unexpected.Count}): {string.Join(", ", unexpected)}");
        if (badShapes.Count > 0) lines.Add($"  shape mismatches ({badShapes.Count}): {string.Join("; ", badShapes)}");
        lines.Add("Check that adapter_config.json (target_modules, r) and the base model are the ones the adapter was trained with.");
        throw new CheckpointMismatchException(string.Join(Environment.NewLine, lines));
    }

    /// <summary>The path of a required file in an adapter folder; a clear error when it is absent.</summary>
    public static string Require(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        if (File.Exists(path)) return path;
        var hint = fileName == WeightsFileName && File.Exists(Path.Combine(directory, "adapter_model.bin"))
            ? " (adapter_model.bin, the pickle format, is not read: re-save the adapter with safe_serialization=True)" : "";
        throw new FileNotFoundException($"'{directory}' is not a PEFT adapter folder: {fileName} is missing{hint}.", path);
    }
}
