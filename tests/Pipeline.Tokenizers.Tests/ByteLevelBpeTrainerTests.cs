using System.Text.Json;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Tokenizers.Tests;

public sealed class ByteLevelBpeTrainerTests
{
    private static readonly ByteLevelBpeTrainerOptions SmallOptions = new() { VocabSize = 400 };

    [Fact]
    public void Learns_the_hand_computed_merges_and_stops_below_min_frequency()
    {
        // Words: "ab" ×1, " ab" ×2, " cd" ×1 → pairs (a,b)=3, (Ġ,a)=2, (Ġ,c)=1, (c,d)=1.
        // Merge 1: a b (3). Then (Ġ,ab)=2 → merge 2: Ġ ab. Everything left occurs once.
        var trained = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 1000 }).Train(["ab ab ab cd"]);

        Assert.Equal([("a", "b"), ("Ġ", "ab")], trained.Merges);
        Assert.Equal(4 + 256 + 2, trained.Tokens.Count);
        Assert.Equal("<|endoftext|>", trained.Tokens[0]);
        Assert.Equal("Ġab", trained.Tokens[^1]);
        Assert.Equal([4 + 256, 4 + 256 + 1, 4 + 256 + 1], trained.CreateTokenizer().Encode("ab ab ab"));
    }

    [Fact]
    public void Ties_go_to_the_pair_with_smaller_ids()
    {
        // (x,y) and (y,z) both occur twice; x < y, so "x y" is merged first, then (xy,z).
        var trained = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 1000 }).Train(["xyz xyz"]);
        Assert.Equal(("x", "y"), trained.Merges[0]);
    }

    [Fact]
    public void Reaches_the_requested_vocabulary_size_deterministically()
    {
        var corpus = SampleCorpus.Lines(400);
        var first = new ByteLevelBpeTrainer(SmallOptions).Train(corpus);
        var second = new ByteLevelBpeTrainer(SmallOptions).Train(corpus);

        Assert.Equal(400, first.Tokens.Count);
        Assert.Equal(first.Merges, second.Merges);
        Assert.Equal(first.Tokens.Count, first.Tokens.Distinct().Count());
    }

    [Fact]
    public void Round_trips_text_including_unseen_characters()
    {
        var tokenizer = new ByteLevelBpeTrainer(SmallOptions).Train(SampleCorpus.Lines(400)).CreateTokenizer();
        foreach (var text in SampleCorpus.Lines(20, seed: 99).Append("Zebra ☃ ünseen\r\n\ttext  "))
        {
            var ids = tokenizer.Encode(text);
            Assert.Equal(text, tokenizer.Decode(ids));
        }
    }

    [Fact]
    public void Compresses_the_training_text()
    {
        var corpus = SampleCorpus.Lines(400);
        var tokenizer = new ByteLevelBpeTrainer(SmallOptions).Train(corpus).CreateTokenizer();
        var bytes = corpus.Sum(l => System.Text.Encoding.UTF8.GetByteCount(l));
        var tokens = corpus.Sum(l => tokenizer.Encode(l).Count);
        Assert.True(tokens * 2 < bytes, $"{tokens} tokens for {bytes} bytes");
    }

    [Fact]
    public void Saved_folder_loads_back_with_the_same_encoding_and_special_tokens()
    {
        var trained = new ByteLevelBpeTrainer(SmallOptions with { ChatTemplateName = "chatml", EosToken = "<|im_end|>" }).Train(SampleCorpus.Lines(400));
        using var dir = new TempFolder();
        trained.Save(dir.Path);
        var loaded = TokenizerLoader.Load(dir.Path);
        var inMemory = trained.CreateTokenizer();

        var text = "<|im_start|>user\nthe model learns, step 42.<|im_end|>\n";
        Assert.Equal(inMemory.Encode(text), loaded.Encode(text));
        Assert.Equal(1, loaded.Encode(text)[0]);
        Assert.Equal(2, loaded.Encode(text)[^2]);
        Assert.Equal(new SpecialToken("<|endoftext|>", 0), loaded.SpecialTokens.Bos);
        Assert.Equal(new SpecialToken("<|im_end|>", 2), loaded.SpecialTokens.Eos);
        Assert.Equal(new SpecialToken("<|pad|>", 3), loaded.SpecialTokens.Pad);
        Assert.Equal(400, loaded.VocabSize);

        var jinja = TokenizerConfig.Read(dir.Path).ChatTemplate;
        Assert.IsType<ChatMlTemplate>(ChatTemplateResolver.Detect(jinja, loaded));
    }

    [Fact]
    public void Saved_tokenizer_json_has_the_gpt2_layout()
    {
        var trained = new ByteLevelBpeTrainer(SmallOptions).Train(SampleCorpus.Lines(100));
        using var dir = new TempFolder();
        trained.Save(dir.Path);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.PathOf("tokenizer.json")));
        var root = json.RootElement;

        Assert.Equal(
            ["version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer", "post_processor", "decoder", "model"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ByteLevel", root.GetProperty("pre_tokenizer").GetProperty("type").GetString());
        Assert.Equal("ByteLevel", root.GetProperty("decoder").GetProperty("type").GetString());
        var model = root.GetProperty("model");
        Assert.Equal(
            ["type", "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix", "fuse_unk", "byte_fallback", "ignore_merges", "vocab", "merges"],
            model.EnumerateObject().Select(p => p.Name));
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal(trained.Merges.Count, model.GetProperty("merges").GetArrayLength());
        Assert.Equal($"{trained.Merges[0].Left} {trained.Merges[0].Right}", model.GetProperty("merges")[0].GetString());
        Assert.Equal(4, root.GetProperty("added_tokens").GetArrayLength());
        Assert.True(root.GetProperty("added_tokens")[0].GetProperty("special").GetBoolean());
    }

    [Fact]
    public void Special_tokens_in_the_corpus_are_not_learned_from()
    {
        var trained = new ByteLevelBpeTrainer(new ByteLevelBpeTrainerOptions { VocabSize = 1000 })
            .Train(Enumerable.Repeat("<|im_start|><|im_start|>", 50));
        Assert.Empty(trained.Merges);
    }

    [Theory]
    [InlineData(100, null, "VocabSize 100")]
    [InlineData(1000, "<|bos|>", "BosToken '<|bos|>'")]
    public void Rejects_invalid_options(int vocabSize, string? bos, string expected)
    {
        var options = new ByteLevelBpeTrainerOptions { VocabSize = vocabSize, BosToken = bos };
        var error = Assert.Throws<ArgumentException>(() => new ByteLevelBpeTrainer(options));
        Assert.Contains(expected, error.Message);
    }
}
