namespace Pipeline.Tokenizers.Tests;

/// <summary>bos/eos/pad from tokenizer_config.json (string and object forms) and generation_config.json (int and list).</summary>
public sealed class SpecialTokenResolutionTests
{
    private static ITextTokenizer Load(string? tokenizerConfig, string? generationConfig = null)
    {
        using var dir = new TempFolder();
        TinyTokenizerJson.WriteFolder(dir, TinyTokenizerJson.Hello(), tokenizerConfig, generationConfig);
        return TokenizerLoader.Load(dir.Path);
    }

    [Fact]
    public void String_form_and_pad_falls_back_to_eos()
    {
        var specials = Load("""{"bos_token": "<|im_start|>", "eos_token": "<|im_end|>"}""").SpecialTokens;
        Assert.Equal(new SpecialToken("<|im_start|>", 20), specials.Bos);
        Assert.Equal(new SpecialToken("<|im_end|>", 21), specials.Eos);
        Assert.Equal(specials.Eos, specials.Pad);
        Assert.True(specials.PadIsEosFallback);
        Assert.Equal([21], specials.StopTokenIds);
    }

    [Fact]
    public void Object_form_is_read_by_content()
    {
        var specials = Load("""
            {
              "bos_token": {"__type": "AddedToken", "content": "<|im_start|>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false},
              "eos_token": {"content": "<|im_end|>"},
              "pad_token": {"content": "<|im_start|>"},
              "unk_token": null
            }
            """).SpecialTokens;
        Assert.Equal(20, specials.BosId);
        Assert.Equal(21, specials.EosId);
        Assert.Equal(20, specials.PadId);
        Assert.False(specials.PadIsEosFallback);
        Assert.Null(specials.Unk);
    }

    [Fact]
    public void Generation_config_eos_list_gives_eos_and_all_stop_ids()
    {
        var specials = Load(tokenizerConfig: null, """{"bos_token_id": 20, "eos_token_id": [21, 22], "pad_token_id": 22}""").SpecialTokens;
        Assert.Equal(new SpecialToken("<|im_start|>", 20), specials.Bos);
        Assert.Equal(new SpecialToken("<|im_end|>", 21), specials.Eos);
        Assert.Equal([21, 22], specials.StopTokenIds);
        Assert.Equal(22, specials.PadId);
    }

    [Fact]
    public void Tokenizer_config_eos_comes_first_and_generation_ids_are_added_as_stops()
    {
        var specials = Load("""{"eos_token": "<|im_start|>"}""", """{"eos_token_id": 21}""").SpecialTokens;
        Assert.Equal(20, specials.EosId);
        Assert.Equal([20, 21], specials.StopTokenIds);
    }

    [Fact]
    public void Added_tokens_decoder_entries_missing_from_tokenizer_json_are_added()
    {
        var tokenizer = Load("""{"added_tokens_decoder": {"25": {"content": "<|extra|>", "special": true}}}""");
        Assert.Equal([25, 8], tokenizer.Encode("<|extra|>hello"));
        Assert.True(tokenizer.IsSpecialToken(25));
        Assert.Equal(26, tokenizer.VocabSize);
    }

    [Fact]
    public void A_named_token_missing_from_the_tokenizer_is_an_error_in_tokenizer_config()
    {
        var error = Assert.Throws<TokenizerFormatException>(() => Load("""{"eos_token": "</s>"}"""));
        Assert.EndsWith("tokenizer_config.json", error.FilePath);
        Assert.Contains("eos_token '</s>'", error.Message);
    }

    [Fact]
    public void An_eos_id_outside_the_vocabulary_is_an_error_in_generation_config()
    {
        var error = Assert.Throws<TokenizerFormatException>(() => Load(null, """{"eos_token_id": [21, 999]}"""));
        Assert.EndsWith("generation_config.json", error.FilePath);
        Assert.Contains("eos_token_id[1] 999", error.Message);
    }
}
