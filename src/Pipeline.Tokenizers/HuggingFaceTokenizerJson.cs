using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Tokenizers;

/// <summary>The parts of a Hugging Face tokenizer.json that a byte-level BPE tokenizer is built from.</summary>
internal sealed record TokenizerJsonContent(
    BpeModel Model,
    IReadOnlyList<AddedToken> AddedTokens,
    UnicodeNormalizer Normalizer,
    PreTokenizer PreTokenizer,
    IReadOnlyList<int>? TemplatePrefixIds,
    IReadOnlyList<int>? TemplateSuffixIds);

/// <summary>
/// Reads a Hugging Face tokenizer.json whose model is byte-level BPE (GPT-2, Llama 3, Qwen2 layouts):
/// merges as "a b" strings or [a, b] pairs, ByteLevel/Split/Digits pre-tokenizers, NFC-style normalizers,
/// ByteLevel/TemplateProcessing/Roberta/Bert post-processors.
/// </summary>
internal static class HuggingFaceTokenizerJson
{
    private const string SupportedKinds =
        "supported: model type BPE with a ByteLevel pre-tokenizer (GPT-2, Llama 3, Qwen2 style)";

    public static TokenizerJsonContent Read(string path)
    {
        using var document = JsonFile.Parse(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, $"the top level must be an object, found {root.ValueKind}");

        var modelJson = JsonFile.RequireObject(root, "model", path, "tokenizer.json");
        var model = ReadModel(modelJson, path);
        var normalizer = ReadNormalizer(JsonFile.Property(root, "normalizer"), path);
        var preTokenizer = ReadPreTokenizer(JsonFile.Property(root, "pre_tokenizer"), path);
        var addedTokens = ReadAddedTokens(root, path);
        var (prefix, suffix) = ReadPostProcessor(JsonFile.Property(root, "post_processor"), model, addedTokens, path);
        return new TokenizerJsonContent(model, addedTokens, normalizer, preTokenizer, prefix, suffix);
    }

    private static BpeModel ReadModel(JsonElement model, string path)
    {
        var type = JsonFile.String(model, "type", path, "model");
        // tokenizers infers the model from its fields when "type" is absent; merges mean BPE.
        if (type is null && JsonFile.Property(model, "merges") is null)
            throw Unsupported(path, "model has no 'type' and no 'merges'");
        if (type is not null and not "BPE")
            throw Unsupported(path, $"model type '{type}' is not supported");
        if (JsonFile.Bool(model, "byte_fallback", false, path, "model"))
            throw Unsupported(path, "model.byte_fallback is true (SentencePiece-style BPE)");
        if (JsonFile.String(model, "continuing_subword_prefix", path, "model") is { Length: > 0 } prefix)
            throw Unsupported(path, $"model.continuing_subword_prefix '{prefix}' is not supported");
        if (JsonFile.String(model, "end_of_word_suffix", path, "model") is { Length: > 0 } suffix)
            throw Unsupported(path, $"model.end_of_word_suffix '{suffix}' is not supported");

        var vocabJson = JsonFile.RequireObject(model, "vocab", path, "model");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocabJson.EnumerateObject())
        {
            vocab[entry.Name] = JsonFile.Int(entry.Value, path, $"model.vocab[\"{entry.Name}\"]");
        }
        var merges = ReadMerges(JsonFile.Property(model, "merges"), path);
        var ignoreMerges = JsonFile.Bool(model, "ignore_merges", false, path, "model");
        var unk = JsonFile.String(model, "unk_token", path, "model");
        return BpeModel.Create(vocab, merges, ignoreMerges, unk, path);
    }

    private static List<(string, string)> ReadMerges(JsonElement? merges, string path)
    {
        var result = new List<(string, string)>();
        if (merges is null) return result;
        if (merges.Value.ValueKind != JsonValueKind.Array)
            throw new TokenizerFormatException(path, $"model.merges must be an array, found {merges.Value.ValueKind}");
        var index = 0;
        foreach (var merge in merges.Value.EnumerateArray())
        {
            result.Add(ParseMerge(merge, path, index++));
        }
        return result;
    }

    private static (string, string) ParseMerge(JsonElement merge, string path, int index)
    {
        if (merge.ValueKind == JsonValueKind.String)
        {
            var parts = merge.GetString()!.Split(' ');
            if (parts.Length == 2) return (parts[0], parts[1]);
        }
        else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                 && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
        {
            return (merge[0].GetString()!, merge[1].GetString()!);
        }
        throw new TokenizerFormatException(path,
            $"model.merges[{index}] is {merge.GetRawText()}; a merge is \"left right\" or [\"left\", \"right\"]");
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string path)
    {
        var list = new List<AddedToken>();
        if (JsonFile.Property(root, "added_tokens") is not { } added) return list;
        if (added.ValueKind != JsonValueKind.Array)
            throw new TokenizerFormatException(path, $"added_tokens must be an array, found {added.ValueKind}");
        var index = 0;
        foreach (var token in added.EnumerateArray())
        {
            var where = $"added_tokens[{index++}]";
            var id = JsonFile.Property(token, "id") is { } idJson
                ? JsonFile.Int(idJson, path, where + ".id")
                : throw new TokenizerFormatException(path, $"{where} has no 'id'");
            var content = JsonFile.String(token, "content", path, where)
                ?? throw new TokenizerFormatException(path, $"{where} has no 'content'");
            list.Add(new AddedToken(
                id,
                content,
                JsonFile.Bool(token, "special", false, path, where),
                JsonFile.Bool(token, "lstrip", false, path, where),
                JsonFile.Bool(token, "rstrip", false, path, where),
                JsonFile.Bool(token, "single_word", false, path, where)));
        }
        return list;
    }

    private static UnicodeNormalizer ReadNormalizer(JsonElement? json, string path)
    {
        if (json is null) return UnicodeNormalizer.None;
        var forms = new List<NormalizationForm>();
        AddNormalizer(json.Value, forms, path);
        return new UnicodeNormalizer(forms);
    }

    private static void AddNormalizer(JsonElement json, List<NormalizationForm> forms, string path)
    {
        var type = JsonFile.String(json, "type", path, "normalizer");
        switch (type)
        {
            case "NFC": forms.Add(NormalizationForm.FormC); break;
            case "NFD": forms.Add(NormalizationForm.FormD); break;
            case "NFKC": forms.Add(NormalizationForm.FormKC); break;
            case "NFKD": forms.Add(NormalizationForm.FormKD); break;
            case "Sequence":
                foreach (var inner in ArrayProperty(json, "normalizers", path, "normalizer"))
                {
                    AddNormalizer(inner, forms, path);
                }
                break;
            default:
                throw Unsupported(path, $"normalizer type '{type}' is not supported (supported: NFC, NFD, NFKC, NFKD, Sequence)");
        }
    }

    private static PreTokenizer ReadPreTokenizer(JsonElement? json, string path)
    {
        if (json is null) throw Unsupported(path, "there is no pre_tokenizer, so the tokenizer is not byte-level");
        var steps = ReadPreTokenizerSteps(json.Value, path);
        if (!steps.OfType<ByteLevelStep>().Any()) throw Unsupported(path, "the pre_tokenizer has no ByteLevel step");
        return new PreTokenizer(steps);
    }

    /// <summary>The steps of a pre_tokenizer object, a Sequence flattened.</summary>
    internal static List<PreTokenizerStep> ReadPreTokenizerSteps(JsonElement json, string path)
    {
        var steps = new List<PreTokenizerStep>();
        AddPreTokenizer(json, steps, path);
        return steps;
    }

    private static void AddPreTokenizer(JsonElement json, List<PreTokenizerStep> steps, string path)
    {
        var type = JsonFile.String(json, "type", path, "pre_tokenizer");
        switch (type)
        {
            case "ByteLevel":
                steps.Add(new ByteLevelStep(
                    JsonFile.Bool(json, "add_prefix_space", false, path, "pre_tokenizer"),
                    JsonFile.Bool(json, "use_regex", true, path, "pre_tokenizer")));
                break;
            case "Split":
                steps.Add(ReadSplit(json, path));
                break;
            case "Digits":
                steps.Add(new DigitsStep(JsonFile.Bool(json, "individual_digits", false, path, "pre_tokenizer")));
                break;
            case "Sequence":
                foreach (var inner in ArrayProperty(json, "pretokenizers", path, "pre_tokenizer"))
                {
                    AddPreTokenizer(inner, steps, path);
                }
                break;
            default:
                throw Unsupported(path, $"pre_tokenizer type '{type}' is not supported (supported: ByteLevel, Split, Digits, Sequence)");
        }
    }

    private static SplitStep ReadSplit(JsonElement json, string path)
    {
        var pattern = JsonFile.RequireObject(json, "pattern", path, "Split pre_tokenizer");
        string regexText;
        if (JsonFile.String(pattern, "Regex", path, "Split.pattern") is { } regex) regexText = regex;
        else if (JsonFile.String(pattern, "String", path, "Split.pattern") is { } literal) regexText = Regex.Escape(literal);
        else throw new TokenizerFormatException(path, "Split.pattern must have a 'Regex' or 'String' entry");

        var behaviorName = JsonFile.String(json, "behavior", path, "Split") ?? "Isolated";
        if (!Enum.TryParse<SplitBehavior>(behaviorName, out var behavior))
            throw Unsupported(path, $"Split behavior '{behaviorName}' is not supported (supported: {string.Join(", ", Enum.GetNames<SplitBehavior>())})");
        try
        {
            var compiled = new Regex(regexText, RegexOptions.CultureInvariant | RegexOptions.Compiled);
            return new SplitStep(compiled, behavior, JsonFile.Bool(json, "invert", false, path, "Split"));
        }
        catch (ArgumentException ex)
        {
            throw new TokenizerFormatException(path, $"Split pattern /{regexText}/ is not a valid regular expression: {ex.Message}", ex);
        }
    }

    private static (IReadOnlyList<int>?, IReadOnlyList<int>?) ReadPostProcessor(
        JsonElement? json, BpeModel model, List<AddedToken> added, string path)
    {
        if (json is null) return (null, null);
        var type = JsonFile.String(json.Value, "type", path, "post_processor");
        switch (type)
        {
            case "ByteLevel":
                return (null, null);
            case "Sequence":
                (IReadOnlyList<int>?, IReadOnlyList<int>?) result = (null, null);
                foreach (var inner in ArrayProperty(json.Value, "processors", path, "post_processor"))
                {
                    var (prefix, suffix) = ReadPostProcessor(inner, model, added, path);
                    if (prefix is not null || suffix is not null) result = (prefix, suffix);
                }
                return result;
            case "TemplateProcessing":
                return ReadTemplate(json.Value, path);
            case "RobertaProcessing" or "BertProcessing":
                return ([TemplateTokenId(json.Value, "cls", path)], [TemplateTokenId(json.Value, "sep", path)]);
            default:
                throw Unsupported(path, $"post_processor type '{type}' is not supported (supported: ByteLevel, TemplateProcessing, RobertaProcessing, BertProcessing, Sequence)");
        }
    }

    /// <summary>TemplateProcessing's "single" template: special tokens before and after the sequence "A".</summary>
    private static (IReadOnlyList<int>, IReadOnlyList<int>) ReadTemplate(JsonElement json, string path)
    {
        var specials = JsonFile.Property(json, "special_tokens");
        var prefix = new List<int>();
        var suffix = new List<int>();
        var seenSequence = false;
        foreach (var item in ArrayProperty(json, "single", path, "post_processor"))
        {
            if (JsonFile.Property(item, "Sequence") is not null)
            {
                seenSequence = true;
                continue;
            }
            var special = JsonFile.Property(item, "SpecialToken")
                ?? throw new TokenizerFormatException(path, $"post_processor.single item {item.GetRawText()} is neither a Sequence nor a SpecialToken");
            var name = JsonFile.String(special, "id", path, "post_processor.single.SpecialToken")
                ?? throw new TokenizerFormatException(path, "post_processor.single SpecialToken has no 'id'");
            var entry = specials is { } s ? JsonFile.Property(s, name) : null;
            if (entry is null)
                throw new TokenizerFormatException(path, $"post_processor.single uses '{name}', which is not in post_processor.special_tokens");
            foreach (var id in ArrayProperty(entry.Value, "ids", path, $"post_processor.special_tokens[\"{name}\"]"))
            {
                (seenSequence ? suffix : prefix).Add(JsonFile.Int(id, path, $"post_processor.special_tokens[\"{name}\"].ids"));
            }
        }
        return (prefix, suffix);
    }

    private static int TemplateTokenId(JsonElement json, string name, string path)
    {
        var pair = JsonFile.Property(json, name);
        if (pair is { ValueKind: JsonValueKind.Array } p && p.GetArrayLength() == 2)
            return JsonFile.Int(p[1], path, $"post_processor.{name}[1]");
        throw new TokenizerFormatException(path, $"post_processor.{name} must be [\"token\", id]");
    }

    private static IEnumerable<JsonElement> ArrayProperty(JsonElement json, string name, string path, string where)
    {
        var value = JsonFile.Property(json, name);
        if (value is not { ValueKind: JsonValueKind.Array } array)
            throw new TokenizerFormatException(path, $"{where}.{name} must be an array");
        return array.EnumerateArray();
    }

    private static TokenizerFormatException Unsupported(string path, string problem) =>
        new(path, $"{problem}; {SupportedKinds}") { IsUnsupportedKind = true };
}
