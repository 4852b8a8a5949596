using System.Text.Json.Nodes;

namespace Pipeline.Tokenizers.Tests;

/// <summary>
/// Builds small tokenizer.json documents by hand. The vocabulary used by most tests:
/// h=0 e=1 l=2 o=3 Ġ=4 he=5 ll=6 hell=7 hello=8 Ġh=9, merges ranked "h e", "l l", "he ll", "hell o", "Ġ h";
/// added tokens &lt;|im_start|&gt;=20, &lt;|im_end|&gt;=21 (special) and "lo wo"=22 (not special).
/// </summary>
public static class TinyTokenizerJson
{
    public static readonly string[] HelloVocab = ["h", "e", "l", "o", "Ġ", "he", "ll", "hell", "hello", "Ġh"];
    public static readonly string[] HelloMerges = ["h e", "l l", "he ll", "hell o", "Ġ h"];

    public static JsonObject Vocab(IEnumerable<string> tokens, int firstId = 0)
    {
        var vocab = new JsonObject();
        var id = firstId;
        foreach (var token in tokens) vocab[token] = id++;
        return vocab;
    }

    public static JsonObject AddedToken(int id, string content, bool special) => new()
    {
        ["id"] = id,
        ["content"] = content,
        ["single_word"] = false,
        ["lstrip"] = false,
        ["rstrip"] = false,
        ["normalized"] = !special,
        ["special"] = special,
    };

    public static JsonObject ByteLevel(bool useRegex = true, bool addPrefixSpace = false) => new()
    {
        ["type"] = "ByteLevel",
        ["add_prefix_space"] = addPrefixSpace,
        ["trim_offsets"] = true,
        ["use_regex"] = useRegex,
    };

    public static JsonObject Document(JsonObject vocab, JsonArray merges, JsonArray? addedTokens = null, JsonNode? preTokenizer = null,
        JsonNode? postProcessor = null, bool ignoreMerges = false) => new()
    {
        ["version"] = "1.0",
        ["truncation"] = null,
        ["padding"] = null,
        ["added_tokens"] = addedTokens ?? new JsonArray(),
        ["normalizer"] = null,
        ["pre_tokenizer"] = preTokenizer ?? ByteLevel(),
        ["post_processor"] = postProcessor ?? ByteLevel(),
        ["decoder"] = ByteLevel(),
        ["model"] = new JsonObject
        {
            ["type"] = "BPE",
            ["dropout"] = null,
            ["unk_token"] = null,
            ["continuing_subword_prefix"] = null,
            ["end_of_word_suffix"] = null,
            ["fuse_unk"] = false,
            ["byte_fallback"] = false,
            ["ignore_merges"] = ignoreMerges,
            ["vocab"] = vocab,
            ["merges"] = merges,
        },
    };

    public static JsonArray StringMerges(IEnumerable<string> merges) => new(merges.Select(m => (JsonNode)JsonValue.Create(m)).ToArray());

    public static JsonArray PairMerges(IEnumerable<string> merges) =>
        new(merges.Select(m => (JsonNode)new JsonArray(m.Split(' ').Select(p => (JsonNode)JsonValue.Create(p)).ToArray())).ToArray());

    /// <summary>The hello vocabulary with the three added tokens.</summary>
    public static JsonObject Hello(bool pairMerges = false) => Document(
        Vocab(HelloVocab),
        pairMerges ? PairMerges(HelloMerges) : StringMerges(HelloMerges),
        new JsonArray(AddedToken(20, "<|im_start|>", true), AddedToken(21, "<|im_end|>", true), AddedToken(22, "lo wo", false)));

    public static string WriteFolder(TempFolder dir, JsonObject tokenizerJson, string? tokenizerConfig = null, string? generationConfig = null)
    {
        dir.Write("tokenizer.json", tokenizerJson.ToJsonString());
        if (tokenizerConfig is not null) dir.Write("tokenizer_config.json", tokenizerConfig);
        if (generationConfig is not null) dir.Write("generation_config.json", generationConfig);
        return dir.Path;
    }
}
