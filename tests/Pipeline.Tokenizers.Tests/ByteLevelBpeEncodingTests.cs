using System.Text.Json.Nodes;

namespace Pipeline.Tokenizers.Tests;

/// <summary>Exact ids for hand-made tokenizer.json files, computed by hand from the merge ranks.</summary>
public sealed class ByteLevelBpeEncodingTests
{
    private static ITextTokenizer LoadHello(bool pairMerges = false, string? config = null)
    {
        using var dir = new TempFolder();
        TinyTokenizerJson.WriteFolder(dir, TinyTokenizerJson.Hello(pairMerges), config);
        return TokenizerLoader.Load(dir.Path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Applies_merges_in_rank_order(bool pairMerges)
    {
        var tokenizer = LoadHello(pairMerges);
        // "hello": h e l l o → he l l o → he ll o → hell o → hello (8).
        // " hell": Ġ h e l l; "h e" (rank 0) beats "Ġ h" (rank 4), so Ġ stays alone: Ġ hell → 4, 7.
        Assert.Equal([8, 4, 7], tokenizer.Encode("hello hell"));
    }

    [Fact]
    public void Special_tokens_in_text_are_single_ids()
    {
        var tokenizer = LoadHello();
        Assert.Equal([20, 8, 21], tokenizer.Encode("<|im_start|>hello<|im_end|>"));
        Assert.Equal([20, 20, 4, 7], tokenizer.Encode("<|im_start|><|im_start|> hell"));
    }

    [Fact]
    public void Added_tokens_split_before_bpe_even_inside_words()
    {
        var tokenizer = LoadHello();
        // "lo wo" (22) is matched first; "hel" is left: h e l → he l → 5, 2.
        Assert.Equal([5, 2, 22], tokenizer.Encode("hello wo"));
        Assert.False(tokenizer.IsSpecialToken(22));
        Assert.True(tokenizer.IsSpecialToken(20));
    }

    [Fact]
    public void Decode_skips_special_tokens_only_when_asked_and_keeps_plain_added_tokens()
    {
        var tokenizer = LoadHello();
        int[] ids = [20, 5, 2, 22, 21];
        Assert.Equal("hello wo", tokenizer.Decode(ids));
        Assert.Equal("<|im_start|>hello wo<|im_end|>", tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Offsets_point_into_the_input()
    {
        var tokenizer = LoadHello();
        var spans = tokenizer.EncodeWithOffsets("<|im_start|>hello hell");
        Assert.Equal(
            [new TokenSpan(20, 0, 12), new TokenSpan(8, 12, 5), new TokenSpan(4, 17, 1), new TokenSpan(7, 18, 4)],
            spans);
    }

    [Fact]
    public void Token_lookup_prefers_added_tokens_and_knows_vocab_entries()
    {
        var tokenizer = LoadHello();
        Assert.Equal(9, tokenizer.TokenToId("Ġh"));
        Assert.Equal(21, tokenizer.TokenToId("<|im_end|>"));
        Assert.Null(tokenizer.TokenToId("xyz"));
        Assert.Equal("hell", tokenizer.IdToToken(7));
        Assert.Equal("lo wo", tokenizer.IdToToken(22));
        Assert.Null(tokenizer.IdToToken(15));
        Assert.Equal(23, tokenizer.VocabSize);
    }

    [Fact]
    public void Split_regex_pre_tokenizer_changes_the_words_as_llama3_does()
    {
        // Ranks: "1 2", "3 4", "12 3", "4 5".
        string[] vocab = ["1", "2", "3", "4", "5", "12", "34", "123", "45"];
        string[] merges = ["1 2", "3 4", "12 3", "4 5"];
        var llama3Split = new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Split",
                    ["pattern"] = new JsonObject { ["Regex"] = TiktokenLoader.Cl100kPattern },
                    ["behavior"] = "Isolated",
                    ["invert"] = false,
                },
                TinyTokenizerJson.ByteLevel(useRegex: false)),
        };

        using var gpt2Dir = new TempFolder();
        TinyTokenizerJson.WriteFolder(gpt2Dir, TinyTokenizerJson.Document(TinyTokenizerJson.Vocab(vocab), TinyTokenizerJson.StringMerges(merges)));
        using var llamaDir = new TempFolder();
        TinyTokenizerJson.WriteFolder(llamaDir, TinyTokenizerJson.Document(TinyTokenizerJson.Vocab(vocab), TinyTokenizerJson.StringMerges(merges), preTokenizer: llama3Split));

        // GPT-2 keeps "12345" as one word: 1 2 3 4 5 → 12 3 4 5 → 12 34 5 (no "12 34" merge).
        Assert.Equal([5, 6, 4], TokenizerLoader.Load(gpt2Dir.Path).Encode("12345"));
        // Llama 3 splits digits in threes: "123" → 12 3 → 123; "45" → 45.
        Assert.Equal([7, 8], TokenizerLoader.Load(llamaDir.Path).Encode("12345"));
    }

    [Fact]
    public void Ignore_merges_takes_whole_words_from_the_vocabulary()
    {
        string[] vocab = ["a", "b", "c", "abc"];
        using var withIgnore = new TempFolder();
        TinyTokenizerJson.WriteFolder(withIgnore, TinyTokenizerJson.Document(TinyTokenizerJson.Vocab(vocab), [], ignoreMerges: true));
        using var without = new TempFolder();
        TinyTokenizerJson.WriteFolder(without, TinyTokenizerJson.Document(TinyTokenizerJson.Vocab(vocab), []));

        Assert.Equal([3], TokenizerLoader.Load(withIgnore.Path).Encode("abc"));
        Assert.Equal([0, 1, 2], TokenizerLoader.Load(without.Path).Encode("abc"));
    }

    [Fact]
    public void Multibyte_characters_are_encoded_as_bytes_and_decoded_back()
    {
        // é = C3 A9 → 'Ã' '©'; the merge joins them.
        string[] vocab = ["c", "a", "f", "Ã", "©", "Ã©", "Ġ"];
        using var dir = new TempFolder();
        TinyTokenizerJson.WriteFolder(dir, TinyTokenizerJson.Document(TinyTokenizerJson.Vocab(vocab), TinyTokenizerJson.StringMerges(["Ã ©"])));
        var tokenizer = TokenizerLoader.Load(dir.Path);

        Assert.Equal([0, 1, 2, 5], tokenizer.Encode("café"));
        Assert.Equal("café", tokenizer.Decode([0, 1, 2, 5]));
        Assert.Equal([new TokenSpan(5, 3, 1)], tokenizer.EncodeWithOffsets("café").Skip(3));
        // Half a character is invalid UTF-8 and decodes to U+FFFD, as from_utf8_lossy does.
        Assert.Equal("caf\uFFFD", tokenizer.Decode([0, 1, 2, 3]));
    }

    [Fact]
    public void Template_post_processor_adds_bos_only_with_special_tokens()
    {
        var postProcessor = new JsonObject
        {
            ["type"] = "TemplateProcessing",
            ["single"] = new JsonArray(
                new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<|begin_of_text|>", ["type_id"] = 0 } },
                new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
            ["pair"] = new JsonArray(),
            ["special_tokens"] = new JsonObject
            {
                ["<|begin_of_text|>"] = new JsonObject { ["id"] = "<|begin_of_text|>", ["ids"] = new JsonArray(30), ["tokens"] = new JsonArray("<|begin_of_text|>") },
            },
        };
        var json = TinyTokenizerJson.Document(
            TinyTokenizerJson.Vocab(TinyTokenizerJson.HelloVocab),
            TinyTokenizerJson.StringMerges(TinyTokenizerJson.HelloMerges),
            new JsonArray(TinyTokenizerJson.AddedToken(30, "<|begin_of_text|>", true)),
            postProcessor: new JsonObject { ["type"] = "Sequence", ["processors"] = new JsonArray(TinyTokenizerJson.ByteLevel(), postProcessor) });
        using var dir = new TempFolder();
        TinyTokenizerJson.WriteFolder(dir, json);
        var tokenizer = TokenizerLoader.Load(dir.Path);

        Assert.Equal([8], tokenizer.Encode("hello"));
        Assert.Equal([30, 8], tokenizer.Encode("hello", addSpecialTokens: true));
    }

    [Fact]
    public void Vocab_json_and_merges_txt_give_the_same_ids_as_tokenizer_json()
    {
        using var dir = new TempFolder();
        dir.Write("vocab.json", TinyTokenizerJson.Vocab(TinyTokenizerJson.HelloVocab.Append("<|endoftext|>")).ToJsonString());
        dir.Write("merges.txt", "#version: 0.2\n" + string.Join("\n", TinyTokenizerJson.HelloMerges) + "\n");
        var tokenizer = TokenizerLoader.Load(dir.Path);

        // Without a tokenizer_config.json, <|...|> vocabulary entries are special (GPT-2 convention).
        Assert.Equal([8, 4, 7, 10], tokenizer.Encode("hello hell<|endoftext|>"));
        Assert.True(tokenizer.IsSpecialToken(10));
        Assert.Equal("hello hell", tokenizer.Decode([8, 4, 7, 10]));
    }
}
