namespace Pipeline.Training.FineTuning;

/// <summary>The files of a Hugging Face tokenizer folder, copied beside trained weights so the output loads on its own.</summary>
public static class TokenizerFiles
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
        "vocab.json", "merges.txt", "tokenizer.model", "generation_config.json",
    ];

    /// <summary>Copies those of <see cref="Names"/> that exist in <paramref name="source"/>; returns what was copied.</summary>
    public static IReadOnlyList<string> Copy(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        var copied = new List<string>();
        foreach (var name in Names)
        {
            var path = Path.Combine(source, name);
            if (!File.Exists(path)) continue;
            File.Copy(path, Path.Combine(destination, name), overwrite: true);
            copied.Add(name);
        }
        return copied;
    }
}
