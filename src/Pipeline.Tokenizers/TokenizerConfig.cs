using System.Text.Json;

namespace Pipeline.Tokenizers;

/// <summary>
/// What tokenizer_config.json and generation_config.json say about special tokens and chat formatting.
/// Every field is optional, as in transformers.
/// </summary>
public sealed record TokenizerConfig
{
    public string? BosToken { get; init; }
    public string? EosToken { get; init; }
    public string? PadToken { get; init; }
    public string? UnkToken { get; init; }

    /// <summary>add_bos_token / add_eos_token (SentencePiece-era Llama): prepend bos / append eos on encode.</summary>
    public bool? AddBosToken { get; init; }
    public bool? AddEosToken { get; init; }

    /// <summary>The Jinja chat_template, when present (the "default" one when a list of named templates is given).</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>added_tokens_decoder: id to token, the only place tiktoken and SentencePiece folders list them.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; init; } = [];

    /// <summary>generation_config.json: bos_token_id.</summary>
    public int? GenerationBosTokenId { get; init; }

    /// <summary>generation_config.json: eos_token_id, an int or a list.</summary>
    public IReadOnlyList<int> GenerationEosTokenIds { get; init; } = [];

    /// <summary>generation_config.json: pad_token_id.</summary>
    public int? GenerationPadTokenId { get; init; }

    /// <summary>Reads the two files from <paramref name="directory"/>; a missing file contributes nothing.</summary>
    public static TokenizerConfig Read(string directory)
    {
        var config = new TokenizerConfig();
        var tokenizerConfigPath = Path.Combine(directory, "tokenizer_config.json");
        if (File.Exists(tokenizerConfigPath)) config = ReadTokenizerConfig(tokenizerConfigPath);
        var generationConfigPath = Path.Combine(directory, "generation_config.json");
        if (File.Exists(generationConfigPath)) config = ReadGenerationConfig(generationConfigPath, config);
        return config;
    }

    private static TokenizerConfig ReadTokenizerConfig(string path)
    {
        using var document = JsonFile.Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, $"the top level must be an object, found {root.ValueKind}");
        return new TokenizerConfig
        {
            BosToken = TokenText(root, "bos_token", path),
            EosToken = TokenText(root, "eos_token", path),
            PadToken = TokenText(root, "pad_token", path),
            UnkToken = TokenText(root, "unk_token", path),
            AddBosToken = JsonFile.Property(root, "add_bos_token") is null ? null : JsonFile.Bool(root, "add_bos_token", false, path, "tokenizer_config"),
            AddEosToken = JsonFile.Property(root, "add_eos_token") is null ? null : JsonFile.Bool(root, "add_eos_token", false, path, "tokenizer_config"),
            ChatTemplate = ChatTemplateText(root, path),
            AddedTokens = AddedTokensDecoder(root, path),
        };
    }

    /// <summary>A special token given as a string or as an AddedToken object <c>{"content": ...}</c>.</summary>
    private static string? TokenText(JsonElement root, string name, string path)
    {
        var value = JsonFile.Property(root, name);
        return value?.ValueKind switch
        {
            null => null,
            JsonValueKind.String => value.Value.GetString(),
            JsonValueKind.Object => JsonFile.String(value.Value, "content", path, name)
                ?? throw new TokenizerFormatException(path, $"{name} is an object without 'content'"),
            var kind => throw new TokenizerFormatException(path, $"{name} must be a string or {{\"content\": ...}}, found {kind}"),
        };
    }

    private static string? ChatTemplateText(JsonElement root, string path)
    {
        var value = JsonFile.Property(root, "chat_template");
        if (value is null) return null;
        if (value.Value.ValueKind == JsonValueKind.String) return value.Value.GetString();
        if (value.Value.ValueKind == JsonValueKind.Array)
        {
            string? first = null;
            foreach (var named in value.Value.EnumerateArray())
            {
                var template = JsonFile.String(named, "template", path, "chat_template[]");
                first ??= template;
                if (JsonFile.String(named, "name", path, "chat_template[]") == "default") return template;
            }
            return first;
        }
        throw new TokenizerFormatException(path, $"chat_template must be a string or a list of {{name, template}}, found {value.Value.ValueKind}");
    }

    private static List<AddedToken> AddedTokensDecoder(JsonElement root, string path)
    {
        var list = new List<AddedToken>();
        if (JsonFile.Property(root, "added_tokens_decoder") is not { } decoder) return list;
        if (decoder.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, $"added_tokens_decoder must be an object, found {decoder.ValueKind}");
        foreach (var entry in decoder.EnumerateObject())
        {
            var where = $"added_tokens_decoder[\"{entry.Name}\"]";
            if (!int.TryParse(entry.Name, out var id))
                throw new TokenizerFormatException(path, $"{where}: the key must be a token id");
            var content = JsonFile.String(entry.Value, "content", path, where)
                ?? throw new TokenizerFormatException(path, $"{where} has no 'content'");
            list.Add(new AddedToken(
                id,
                content,
                JsonFile.Bool(entry.Value, "special", false, path, where),
                JsonFile.Bool(entry.Value, "lstrip", false, path, where),
                JsonFile.Bool(entry.Value, "rstrip", false, path, where),
                JsonFile.Bool(entry.Value, "single_word", false, path, where)));
        }
        return list;
    }

    private static TokenizerConfig ReadGenerationConfig(string path, TokenizerConfig config)
    {
        using var document = JsonFile.Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, $"the top level must be an object, found {root.ValueKind}");
        var eosIds = new List<int>();
        if (JsonFile.Property(root, "eos_token_id") is { } eos)
        {
            if (eos.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var id in eos.EnumerateArray()) eosIds.Add(JsonFile.Int(id, path, $"eos_token_id[{i++}]"));
            }
            else
            {
                eosIds.Add(JsonFile.Int(eos, path, "eos_token_id"));
            }
        }
        return config with
        {
            GenerationBosTokenId = JsonFile.Property(root, "bos_token_id") is { } bos ? JsonFile.Int(bos, path, "bos_token_id") : null,
            GenerationEosTokenIds = eosIds,
            GenerationPadTokenId = JsonFile.Property(root, "pad_token_id") is { } pad ? JsonFile.Int(pad, path, "pad_token_id") : null,
        };
    }
}
