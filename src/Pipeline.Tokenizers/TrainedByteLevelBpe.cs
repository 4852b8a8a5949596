using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Tokenizers;

/// <summary>
/// The result of <see cref="ByteLevelBpeTrainer"/>: vocabulary (index = id) and merges in rank order.
/// <see cref="Save"/> writes a Hugging Face folder; <see cref="CreateTokenizer"/> gives the same tokenizer in memory.
/// </summary>
public sealed class TrainedByteLevelBpe
{
    internal TrainedByteLevelBpe(IReadOnlyList<string> tokens, IReadOnlyList<(string Left, string Right)> merges, ByteLevelBpeTrainerOptions options)
    {
        Tokens = tokens;
        Merges = merges;
        Options = options;
    }

    /// <summary>Token texts in the byte-level alphabet; the index is the id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Learned merges, best first.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    public ByteLevelBpeTrainerOptions Options { get; }

    public ITextTokenizer CreateTokenizer()
    {
        var vocab = Vocabulary();
        var model = BpeModel.Create(vocab, Merges, ignoreMerges: false, unkToken: null, "trained vocabulary");
        var added = Options.SpecialTokens.Select((t, i) => new AddedToken(i, t, Special: true)).ToList();
        var preTokenizer = PreTokenizer.Gpt2Default();
        var tokenizer = new ByteLevelBpeTokenizer(model, added, UnicodeNormalizer.None, preTokenizer, [], []);
        var config = new TokenizerConfig { BosToken = Options.BosToken, EosToken = Options.EosToken, PadToken = Options.PadToken };
        tokenizer.SpecialTokens = SpecialTokenResolver.Resolve(tokenizer, config, "(in memory)");
        return tokenizer;
    }

    /// <summary>Writes tokenizer.json (GPT-2 layout) and tokenizer_config.json into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        WriteJson(Path.Combine(directory, "tokenizer.json"), WriteTokenizerJson);
        WriteJson(Path.Combine(directory, "tokenizer_config.json"), WriteTokenizerConfig);
    }

    private Dictionary<string, int> Vocabulary()
    {
        var vocab = new Dictionary<string, int>(Tokens.Count, StringComparer.Ordinal);
        for (var id = 0; id < Tokens.Count; id++) vocab.TryAdd(Tokens[id], id);
        return vocab;
    }

    private static void WriteJson(string path, Action<Utf8JsonWriter> write)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        write(writer);
    }

    private void WriteTokenizerJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");
        w.WriteStartArray("added_tokens");
        for (var id = 0; id < Options.SpecialTokens.Count; id++)
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteString("content", Options.SpecialTokens[id]);
            w.WriteBoolean("single_word", false);
            w.WriteBoolean("lstrip", false);
            w.WriteBoolean("rstrip", false);
            w.WriteBoolean("normalized", false);
            w.WriteBoolean("special", true);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNull("normalizer");
        WriteByteLevel(w, "pre_tokenizer", addPrefixSpace: false, trimOffsets: true);
        WriteByteLevel(w, "post_processor", addPrefixSpace: true, trimOffsets: false);
        WriteByteLevel(w, "decoder", addPrefixSpace: true, trimOffsets: true);
        w.WriteStartObject("model");
        w.WriteString("type", "BPE");
        w.WriteNull("dropout");
        w.WriteNull("unk_token");
        w.WriteNull("continuing_subword_prefix");
        w.WriteNull("end_of_word_suffix");
        w.WriteBoolean("fuse_unk", false);
        w.WriteBoolean("byte_fallback", false);
        w.WriteBoolean("ignore_merges", false);
        w.WriteStartObject("vocab");
        for (var id = 0; id < Tokens.Count; id++) w.WriteNumber(Tokens[id], id);
        w.WriteEndObject();
        // "left right" strings: readable by every tokenizers version; byte-level tokens never contain a space.
        w.WriteStartArray("merges");
        foreach (var (left, right) in Merges) w.WriteStringValue($"{left} {right}");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter w, string name, bool addPrefixSpace, bool trimOffsets)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", addPrefixSpace);
        w.WriteBoolean("trim_offsets", trimOffsets);
        w.WriteBoolean("use_regex", true);
        w.WriteEndObject();
    }

    private void WriteTokenizerConfig(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartObject("added_tokens_decoder");
        for (var id = 0; id < Options.SpecialTokens.Count; id++)
        {
            w.WriteStartObject(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("content", Options.SpecialTokens[id]);
            w.WriteBoolean("lstrip", false);
            w.WriteBoolean("normalized", false);
            w.WriteBoolean("rstrip", false);
            w.WriteBoolean("single_word", false);
            w.WriteBoolean("special", true);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        WriteOptionalString(w, "bos_token", Options.BosToken);
        WriteOptionalString(w, "eos_token", Options.EosToken);
        WriteOptionalString(w, "pad_token", Options.PadToken);
        w.WriteNull("unk_token");
        w.WriteBoolean("clean_up_tokenization_spaces", false);
        w.WriteNumber("model_max_length", Options.ModelMaxLength);
        w.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
        if (Options.ChatTemplateName is { } name)
            w.WriteString("chat_template", ChatTemplates.ChatTemplateResolver.FromName(name, Options.EosToken).Jinja);
        w.WriteEndObject();
    }

    private static void WriteOptionalString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
