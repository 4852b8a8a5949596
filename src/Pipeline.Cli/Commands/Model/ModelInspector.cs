using System.Text.Json.Nodes;
using Pipeline.Modeling.Configuration;
using Pipeline.Safetensors;
using Pipeline.Tokenizers;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Cli.Commands.Model;

/// <summary>What a model folder holds, read from its files without loading any weights.</summary>
/// <param name="Parameters">Elements of every tensor in the checkpoint (a tied lm_head is stored, and counted, once).</param>
/// <param name="CheckpointDtypes">Tensor count per safetensors dtype (e.g. F32: 21).</param>
/// <param name="WeightBytes">Bytes of tensor data over all shards.</param>
public sealed record ModelInspection(
    string Directory,
    ModelConfig Config,
    long Parameters,
    long EmbeddingParameters,
    IReadOnlyDictionary<string, int> CheckpointDtypes,
    long WeightBytes,
    int Shards,
    TokenizerInspection? Tokenizer,
    string? TokenizerProblem);

/// <summary>The tokenizer part of <see cref="ModelInspection"/>.</summary>
/// <param name="Files">The file(s) the tokenizer was loaded from, in <see cref="TokenizerLoader"/>'s order of preference.</param>
/// <param name="ChatTemplate">The chat template's name (chatml, qwen2, llama3, alpaca), or null when none is configured or detectable.</param>
/// <param name="ChatTemplateConfigured">Whether tokenizer_config.json holds a chat_template (otherwise it was detected from special tokens).</param>
public sealed record TokenizerInspection(
    string Files,
    int VocabSize,
    string? Bos,
    string? Eos,
    string? Pad,
    bool PadIsEosFallback,
    IReadOnlyList<int> StopTokenIds,
    string? ChatTemplate,
    bool ChatTemplateConfigured);

/// <summary>Reads config.json, the safetensors headers and the tokenizer files of a Hugging Face model folder.</summary>
public static class ModelInspector
{
    public static ModelInspection Inspect(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"Model folder '{full}' does not exist.");
        var config = ModelConfigJson.Load(full);

        using var checkpoint = ShardedSafetensors.Open(full);
        var parameters = checkpoint.Tensors.Sum(t => t.ElementCount);
        var embeddings = checkpoint.Tensors.Where(t => IsEmbedding(t.Name)).Sum(t => t.ElementCount);
        var dtypes = checkpoint.Tensors.GroupBy(t => t.DType.ToHeaderName())
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        var bytes = checkpoint.Tensors.Sum(t => t.ByteLength);

        TokenizerInspection? tokenizer = null;
        string? problem = null;
        try
        {
            tokenizer = InspectTokenizer(full);
        }
        catch (Exception ex) when (ex is TokenizerFormatException or FileNotFoundException or IOException or ArgumentException)
        {
            // A model without a usable tokenizer can still be inspected; the reason is reported instead.
            problem = ex.Message;
        }
        return new ModelInspection(full, config, parameters, embeddings, dtypes, bytes, checkpoint.Shards.Count, tokenizer, problem);
    }

    /// <summary>The inspection as the JSON object `model inspect --json` prints; "config" is the normalized config.json.</summary>
    public static JsonObject ToJson(ModelInspection inspection)
    {
        var tokenizer = inspection.Tokenizer is { } t
            ? new JsonObject
            {
                ["files"] = t.Files,
                ["vocab_size"] = t.VocabSize,
                ["bos_token"] = t.Bos,
                ["eos_token"] = t.Eos,
                ["pad_token"] = t.Pad,
                ["pad_is_eos_fallback"] = t.PadIsEosFallback,
                ["stop_token_ids"] = new JsonArray([.. t.StopTokenIds.Select(id => (JsonNode?)id)]),
                ["chat_template"] = t.ChatTemplate,
                ["chat_template_configured"] = t.ChatTemplateConfigured,
            }
            : null;
        var dtypes = new JsonObject();
        foreach (var (dtype, count) in inspection.CheckpointDtypes) dtypes[dtype] = count;
        return new JsonObject
        {
            ["directory"] = inspection.Directory,
            ["model_type"] = inspection.Config.ModelType,
            ["architecture"] = inspection.Config.Architecture.ToString().ToLowerInvariant(),
            ["parameters"] = inspection.Parameters,
            ["embedding_parameters"] = inspection.EmbeddingParameters,
            ["torch_dtype"] = inspection.Config.TorchDtype,
            ["checkpoint_dtypes"] = dtypes,
            ["weight_bytes"] = inspection.WeightBytes,
            ["shards"] = inspection.Shards,
            ["config"] = JsonNode.Parse(ModelConfigJson.Write(inspection.Config)),
            ["tokenizer"] = tokenizer,
            ["tokenizer_problem"] = inspection.TokenizerProblem,
        };
    }

    /// <summary>Elements of every tensor in the folder's checkpoint (model.safetensors or its shards).</summary>
    public static long CountParameters(string directory)
    {
        using var checkpoint = ShardedSafetensors.Open(directory);
        return checkpoint.Tensors.Sum(t => t.ElementCount);
    }

    private static TokenizerInspection InspectTokenizer(string directory)
    {
        var tokenizer = TokenizerLoader.Load(directory);
        var config = TokenizerConfig.Read(directory);
        var template = ChatTemplateResolver.Detect(config.ChatTemplate, tokenizer);
        var special = tokenizer.SpecialTokens;
        return new TokenizerInspection(
            TokenizerFiles(directory),
            tokenizer.VocabSize,
            special.Bos?.Text,
            special.Eos?.Text,
            special.Pad?.Text,
            special.PadIsEosFallback,
            special.StopTokenIds,
            template?.Name,
            config.ChatTemplate is not null);
    }

    private static string TokenizerFiles(string directory)
    {
        bool Has(string name) => File.Exists(Path.Combine(directory, name));
        if (Has("tokenizer.json")) return "tokenizer.json";
        if (Has("vocab.json") && Has("merges.txt")) return "vocab.json + merges.txt";
        if (Has("tokenizer.model")) return "tokenizer.model";
        return Directory.EnumerateFiles(directory, "*.tiktoken").Select(Path.GetFileName).FirstOrDefault() ?? "(none)";
    }

    // Token and position tables: Llama's embed_tokens, GPT-2's wte/wpe, and an untied lm_head of the same size.
    private static bool IsEmbedding(string name) =>
        name.EndsWith("embed_tokens.weight", StringComparison.Ordinal) || name.EndsWith(".wte.weight", StringComparison.Ordinal)
        || name.EndsWith(".wpe.weight", StringComparison.Ordinal) || name == "lm_head.weight";
}
