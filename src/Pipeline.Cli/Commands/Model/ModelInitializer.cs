using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Modeling.Checkpoints;
using Pipeline.Modeling.Configuration;
using Pipeline.Tokenizers;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands.Model;

/// <summary>What <c>pipeline model init</c> builds.</summary>
public sealed record ModelInitOptions
{
    /// <summary>llama (default: RMSNorm, RoPE, SwiGLU, grouped-query attention) or gpt2.</summary>
    public ModelArchitecture Architecture { get; init; } = ModelArchitecture.Llama;

    /// <summary>A <see cref="ModelPresets"/> name: "tiny" (default, seconds to train on a laptop CPU) or "small".</summary>
    public string Preset { get; init; } = "tiny";

    /// <summary>
    /// Tokenizer vocabulary including 4 special tokens and 256 bytes; null: 512 for tiny (a small embedding
    /// for a small model), 2048 otherwise. Training stops earlier when the corpus has no pair seen twice left.
    /// </summary>
    public int? VocabSize { get; init; }

    /// <summary>Plain-text file the tokenizer is trained on (paragraphs separated by blank lines); null: <see cref="SampleCorpus"/>.</summary>
    public string? CorpusPath { get; init; }

    /// <summary>Seed of the weight initialization (default 0): the same seed gives the same weights.</summary>
    public long Seed { get; init; }

    /// <summary>Dtype of the saved weights (default float32; bfloat16 halves the file).</summary>
    public ScalarType Dtype { get; init; } = ScalarType.Float32;

    /// <summary>Write into a folder that already has files (default false: refuse, so nothing is overwritten by accident).</summary>
    public bool Overwrite { get; init; }

    public int ResolvedVocabSize => VocabSize ?? (Preset == "tiny" ? 512 : 2048);
}

/// <summary>What was written.</summary>
public sealed record ModelInitResult(string Directory, ModelConfig Config, long Parameters, int TokenizerVocabSize, IReadOnlyList<string> Files);

/// <summary>
/// Creates a randomly initialized model in the Hugging Face layout, with a byte-level BPE tokenizer trained for it:
/// tokenizer.json, tokenizer_config.json (ChatML chat template), config.json, model.safetensors, generation_config.json.
/// The folder loads with <see cref="CausalLmLoader"/> and <see cref="TokenizerLoader"/>, and with transformers.
/// </summary>
public static class ModelInitializer
{
    public const string ChatTemplateName = "chatml";

    public static ModelInitResult Create(string directory, ModelInitOptions options)
    {
        var full = Path.GetFullPath(directory);
        var context = ModelPresets.Create(options.Preset, options.Architecture, vocabSize: 1).MaxPositionEmbeddings;   // checks the preset name
        var corpus = options.CorpusPath is { } path ? ReadCorpus(path) : SampleCorpus.Paragraphs();
        var trainer = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions   // validates the vocabulary size
        {
            VocabSize = options.ResolvedVocabSize,
            ChatTemplateName = ChatTemplateName,
            ModelMaxLength = context,
        });
        PrepareDirectory(full, options.Overwrite);

        // 1. tokenizer: trained first, because the model's vocabulary size is the tokenizer's
        trainer.Train(corpus).Save(full);
        var tokenizer = TokenizerLoader.Load(full);   // read back: the ids are what every later user will see
        var special = tokenizer.SpecialTokens;
        var endOfTurn = tokenizer.TokenToId("<|im_end|>");

        // 2. config: the preset at the tokenizer's size, with its special ids
        var config = ModelPresets.Create(options.Preset, options.Architecture, tokenizer.VocabSize) with
        {
            BosTokenId = special.BosId,
            EosTokenIds = special.EosId is { } eos ? [eos] : [],
            PadTokenId = special.PadId,
            TorchDtype = ModelConfigJson.DtypeName(options.Dtype),
        };

        // 3. weights, then generation_config.json (stops at eos and at ChatML's end of turn)
        using (var model = ModelFactory.CreateRandom(config, options.Seed))
        {
            CausalLmLoader.Save(model, full, options.Dtype);
        }
        WriteGenerationConfig(full, special.BosId, [.. new[] { special.EosId, endOfTurn }.OfType<int>().Distinct()], special.PadId);

        var parameters = ModelInspector.CountParameters(full);
        var files = Directory.EnumerateFiles(full).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        return new ModelInitResult(full, ModelConfigJson.Load(full), parameters, tokenizer.VocabSize, files);
    }

    private static void PrepareDirectory(string directory, bool overwrite)
    {
        if (File.Exists(directory))
            throw new ArgumentException($"'{directory}' is a file; model init needs a folder (new or empty).");
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !overwrite)
            throw new ArgumentException($"'{directory}' already has files; choose a new or empty folder, or pass --force to write over them.");
        Directory.CreateDirectory(directory);
    }

    /// <summary>Paragraphs of a text file (split at blank lines), so one huge line does not become one pre-tokenization unit.</summary>
    private static List<string> ReadCorpus(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Corpus file '{path}' does not exist.", path);
        var paragraphs = File.ReadAllText(path).ReplaceLineEndings("\n")
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (paragraphs.Count == 0) throw new ArgumentException($"Corpus file '{path}' is empty; the tokenizer needs text to learn merges from.");
        return paragraphs;
    }

    /// <summary>generation_config.json as transformers writes it; eos_token_id is a list when there are several stop ids.</summary>
    public static void WriteGenerationConfig(string directory, int? bos, IReadOnlyList<int> eos, int? pad)
    {
        var json = new JsonObject();
        if (bos is { } b) json["bos_token_id"] = b;
        if (eos.Count == 1) json["eos_token_id"] = eos[0];
        else if (eos.Count > 1) json["eos_token_id"] = new JsonArray([.. eos.Select(id => (JsonNode?)id)]);
        if (pad is { } p) json["pad_token_id"] = p;
        File.WriteAllText(Path.Combine(directory, "generation_config.json"),
            json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
