using System.Text.RegularExpressions;

namespace Pipeline.Safetensors;

/// <summary>Hugging Face's checkpoint file names (transformers' save_pretrained / huggingface_hub).</summary>
public static class SafetensorsFileNames
{
    /// <summary>The stem transformers uses for model weights.</summary>
    public const string DefaultBaseName = "model";

    /// <summary>"model.safetensors": an unsharded checkpoint.</summary>
    public static string SingleFile(string baseName = DefaultBaseName) => $"{baseName}.safetensors";

    /// <summary>"model.safetensors.index.json": the weight map of a sharded checkpoint.</summary>
    public static string IndexFile(string baseName = DefaultBaseName) => $"{baseName}.safetensors.index.json";

    /// <summary>"model-00001-of-00003.safetensors"; <paramref name="shardNumber"/> counts from 1.</summary>
    public static string Shard(string baseName, int shardNumber, int shardCount) =>
        $"{baseName}-{shardNumber:D5}-of-{shardCount:D5}.safetensors";

    /// <summary>Whether <paramref name="fileName"/> is a shard, single file or index of <paramref name="baseName"/>.</summary>
    public static bool IsCheckpointFile(string fileName, string baseName = DefaultBaseName) =>
        fileName == SingleFile(baseName) || fileName == IndexFile(baseName)
        || Regex.IsMatch(fileName, "^" + Regex.Escape(baseName) + @"-\d{5}-of-\d{5}\.safetensors$");
}
