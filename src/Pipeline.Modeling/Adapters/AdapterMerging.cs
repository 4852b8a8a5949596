using Pipeline.Modeling.Checkpoints;

namespace Pipeline.Modeling.Adapters;

/// <summary>What <see cref="AdapterMerging.MergeToDirectory"/> did.</summary>
/// <param name="MergedLayers">The layers whose adapter went into the weights.</param>
/// <param name="CopiedFiles">Tokenizer and generation files copied next to the merged weights.</param>
public sealed record MergeResult(string OutputDirectory, IReadOnlyList<string> MergedLayers, IReadOnlyList<string> CopiedFiles);

/// <summary>`model merge`: a base model folder plus a LoRA, (IA)³ or LayerNorm-tuning adapter folder → one plain Hugging Face model folder.</summary>
public static class AdapterMerging
{
    /// <summary>Files that belong with a model's weights and are copied unchanged.</summary>
    public static readonly IReadOnlyList<string> CompanionFiles =
    [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "vocab.json",
        "merges.txt", "tokenizer.model", "chat_template.jinja", "generation_config.json",
    ];

    /// <summary>
    /// Loads the base (<see cref="CausalLmLoader.Load"/>), applies and loads the adapter, merges it into the
    /// weights and saves config.json + safetensors in the base's dtype to <paramref name="outputDirectory"/>,
    /// with the tokenizer files of the base (an adapter folder's own tokenizer files, saved after training with
    /// added tokens, win).
    /// </summary>
    public static MergeResult MergeToDirectory(string baseDirectory, string adapterDirectory, string outputDirectory)
    {
        if (Path.GetFullPath(outputDirectory) == Path.GetFullPath(baseDirectory))
            throw new ArgumentException($"The merged model would overwrite its base in '{baseDirectory}'; choose another output folder.", nameof(outputDirectory));
        using var model = PeftAdapters.Load(CausalLmLoader.Load(baseDirectory), adapterDirectory);
        var merged = PeftAdapters.LayerNames(model);
        CausalLmLoader.Save(PeftAdapters.MergeAndUnload(model), outputDirectory);

        var copied = new List<string>();
        foreach (var name in CompanionFiles)
        {
            var source = new[] { adapterDirectory, baseDirectory }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
            if (source is null) continue;
            File.Copy(source, Path.Combine(outputDirectory, name), overwrite: true);
            copied.Add(name);
        }
        return new MergeResult(outputDirectory, merged, copied);
    }
}
