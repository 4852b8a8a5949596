using System.Text.Json.Nodes;

namespace Pipeline.Tokenizers.Tests;

/// <summary>Every damaged file is a <see cref="TokenizerFormatException"/> that names the file and the problem.</summary>
public sealed class MalformedFileTests
{
    private static TokenizerFormatException LoadFails(Action<TempFolder> write, string expectedFile, string expectedProblem)
    {
        using var dir = new TempFolder();
        write(dir);
        var error = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(dir.Path));
        Assert.Equal(expectedFile, Path.GetFileName(error.FilePath));
        Assert.Contains(expectedFile, error.Message);
        Assert.Contains(expectedProblem, error.Message);
        return error;
    }

    private static Action<TempFolder> TokenizerJson(Action<JsonObject> damage) => dir =>
    {
        var json = TinyTokenizerJson.Hello();
        damage(json);
        dir.Write("tokenizer.json", json.ToJsonString());
    };

    [Fact]
    public void Invalid_json_names_the_line() =>
        LoadFails(dir => dir.Write("tokenizer.json", "{\n  \"model\": {\n    \"vocab\": {,}\n"), "tokenizer.json", "invalid JSON at line 3");

    [Fact]
    public void Missing_model() =>
        LoadFails(TokenizerJson(j => j.Remove("model")), "tokenizer.json", "has no 'model'");

    [Fact]
    public void Missing_vocab() =>
        LoadFails(TokenizerJson(j => j["model"]!.AsObject().Remove("vocab")), "tokenizer.json", "model has no 'vocab'");

    [Fact]
    public void Vocab_id_that_is_not_an_integer() =>
        LoadFails(TokenizerJson(j => j["model"]!["vocab"]!["he"] = "five"), "tokenizer.json", "model.vocab[\"he\"] must be an integer");

    [Fact]
    public void Merge_with_an_unknown_token() =>
        LoadFails(TokenizerJson(j => j["model"]!["merges"]!.AsArray().Add("o x")), "tokenizer.json", "merge #5 ('o' 'x') refers to 'x'");

    [Fact]
    public void Merge_whose_result_is_not_in_the_vocabulary() =>
        LoadFails(TokenizerJson(j => j["model"]!["merges"]!.AsArray().Add("o h")), "tokenizer.json", "produces 'oh'");

    [Fact]
    public void Merge_that_is_not_a_pair() =>
        LoadFails(TokenizerJson(j => j["model"]!["merges"]!.AsArray().Add("h e l")), "tokenizer.json", "model.merges[5]");

    [Fact]
    public void Added_token_without_id() =>
        LoadFails(TokenizerJson(j => j["added_tokens"]!.AsArray().Add(new JsonObject { ["content"] = "<x>" })), "tokenizer.json", "added_tokens[3] has no 'id'");

    [Fact]
    public void Invalid_split_regex() =>
        LoadFails(
            TokenizerJson(j => j["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = "(unclosed" }, ["behavior"] = "Isolated", ["invert"] = false },
                    TinyTokenizerJson.ByteLevel(useRegex: false)),
            }),
            "tokenizer.json",
            "/(unclosed/ is not a valid regular expression");

    [Fact]
    public void Unsupported_model_type_names_the_type_and_what_is_supported()
    {
        var error = LoadFails(TokenizerJson(j => j["model"]!["type"] = "WordPiece"), "tokenizer.json", "model type 'WordPiece' is not supported");
        Assert.True(error.IsUnsupportedKind);
        Assert.Contains("supported: model type BPE", error.Message);
    }

    [Fact]
    public void Unsupported_tokenizer_json_falls_back_to_a_sentencepiece_model_beside_it()
    {
        using var dir = new TempFolder();
        var json = TinyTokenizerJson.Hello();
        json["model"]!["type"] = "Unigram";
        dir.Write("tokenizer.json", json.ToJsonString());
        File.WriteAllBytes(dir.PathOf("tokenizer.model"), SentencePieceModelFixture.Build(SentencePieceModelFixture.HelloPieces, modelType: 2));
        Assert.Equal([12], TokenizerLoader.Load(dir.Path).Encode("hello"));
    }

    [Fact]
    public void Invalid_tokenizer_config() =>
        LoadFails(dir =>
        {
            dir.Write("tokenizer.json", TinyTokenizerJson.Hello().ToJsonString());
            dir.Write("tokenizer_config.json", """{"bos_token": 5}""");
        }, "tokenizer_config.json", "bos_token must be a string or {\"content\": ...}");

    [Fact]
    public void Invalid_generation_config_eos() =>
        LoadFails(dir =>
        {
            dir.Write("tokenizer.json", TinyTokenizerJson.Hello().ToJsonString());
            dir.Write("generation_config.json", """{"eos_token_id": ["<|im_end|>"]}""");
        }, "generation_config.json", "eos_token_id[0] must be an integer");

    [Fact]
    public void Bad_merges_txt_line() =>
        LoadFails(dir =>
        {
            dir.Write("vocab.json", TinyTokenizerJson.Vocab(TinyTokenizerJson.HelloVocab).ToJsonString());
            dir.Write("merges.txt", "#version: 0.2\nh e\nll\n");
        }, "merges.txt", "line 3 is 'll'");

    [Fact]
    public void Vocab_json_that_is_not_an_object() =>
        LoadFails(dir =>
        {
            dir.Write("vocab.json", "[1, 2]");
            dir.Write("merges.txt", "");
        }, "vocab.json", "must be an object");

    [Fact]
    public void A_folder_without_tokenizer_files_says_what_was_expected()
    {
        using var dir = new TempFolder();
        var error = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.Load(dir.Path));
        Assert.Contains("tokenizer.json, vocab.json + merges.txt, tokenizer.model", error.Message);
    }
}
