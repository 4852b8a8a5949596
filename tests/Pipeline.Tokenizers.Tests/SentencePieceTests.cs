namespace Pipeline.Tokenizers.Tests;

public sealed class SentencePieceTests
{
    private static ITextTokenizer LoadHello(int modelType, string? config = null)
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.PathOf("tokenizer.model"), SentencePieceModelFixture.Build(SentencePieceModelFixture.HelloPieces, modelType));
        if (config is not null) dir.Write("tokenizer_config.json", config);
        return TokenizerLoader.Load(dir.Path);
    }

    [Fact]
    public void Bpe_model_merges_by_piece_score_after_the_dummy_prefix()
    {
        var tokenizer = LoadHello(modelType: 2);
        // "▁hello▁hell": he(-1) → ll(-2) → hell(-3) → hello(-4) → ▁hello(-5); the second word stays ▁ + hell.
        Assert.Equal([12, 3, 10], tokenizer.Encode("hello hell"));
        Assert.Equal("hello hell", tokenizer.Decode([12, 3, 10]));
        Assert.Equal(13, tokenizer.VocabSize);
    }

    [Fact]
    public void Unknown_characters_become_unk()
    {
        var tokenizer = LoadHello(modelType: 2);
        Assert.Equal([12, 0], tokenizer.Encode("hello!"));
    }

    [Fact]
    public void Unigram_model_picks_the_best_scoring_segmentation()
    {
        // Scores changed so that no two segmentations tie: ▁hello (-2) beats ▁ + hello (-1 - 4);
        // ▁ + hell (-1 - 2.5) beats ▁ + he + ll (-1 - 1 - 2).
        var pieces = SentencePieceModelFixture.HelloPieces
            .Select(p => p.Piece switch { "▁hello" => (p.Piece, -2f, p.Type), "hell" => (p.Piece, -2.5f, p.Type), _ => p })
            .ToArray();
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.PathOf("tokenizer.model"), SentencePieceModelFixture.Build(pieces, modelType: 1));
        var tokenizer = TokenizerLoader.Load(dir.Path);

        Assert.Equal([12, 3, 10], tokenizer.Encode("hello hell"));
        Assert.Equal("hello hell", tokenizer.Decode([12, 3, 10]));
    }

    [Fact]
    public void Bos_eos_unk_come_from_the_model_and_bos_is_added_by_default()
    {
        var tokenizer = LoadHello(modelType: 2);
        Assert.Equal(new SpecialToken("<s>", 1), tokenizer.SpecialTokens.Bos);
        Assert.Equal(new SpecialToken("</s>", 2), tokenizer.SpecialTokens.Eos);
        Assert.Equal(new SpecialToken("<unk>", 0), tokenizer.SpecialTokens.Unk);
        Assert.True(tokenizer.SpecialTokens.PadIsEosFallback);
        Assert.Equal([1, 12], tokenizer.Encode("hello", addSpecialTokens: true));
        Assert.Equal("hello", tokenizer.Decode([1, 12, 2]));
    }

    [Fact]
    public void Add_bos_token_false_in_the_config_is_respected()
    {
        var tokenizer = LoadHello(modelType: 2, config: """{"add_bos_token": false, "add_eos_token": true}""");
        Assert.Equal([12, 2], tokenizer.Encode("hello", addSpecialTokens: true));
    }

    [Fact]
    public void Garbage_is_a_format_error_naming_the_file()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.PathOf("tokenizer.model"), [0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02]);
        var error = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(dir.Path));
        Assert.Contains("tokenizer.model", error.Message);
    }
}
