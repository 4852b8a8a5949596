namespace Pipeline.Tokenizers.Tests;

/// <summary>The one pad-id fallback every batcher uses: pad, else eos, else 0.</summary>
public sealed class PaddingIdTests
{
    [Fact]
    public void A_named_pad_token_is_used_even_beside_eos()
    {
        var specials = new SpecialTokens { Pad = new SpecialToken("<pad>", 3), Eos = new SpecialToken("</s>", 2) };
        Assert.Equal(3, specials.PaddingId);
    }

    [Fact]
    public void Without_a_pad_token_eos_pads()
    {
        var specials = new SpecialTokens { Eos = new SpecialToken("</s>", 2) };
        Assert.Equal(2, specials.PaddingId);
    }

    [Fact]
    public void With_neither_id_0_pads()
    {
        Assert.Equal(0, new SpecialTokens { Bos = new SpecialToken("<s>", 1) }.PaddingId);
    }

    [Fact]
    public void A_loaded_tokenizer_without_pad_token_pads_with_its_eos()
    {
        using var dir = new TempFolder();
        TinyTokenizerJson.WriteFolder(dir, TinyTokenizerJson.Hello(), """{"eos_token": "<|im_end|>"}""");
        Assert.Equal(21, TokenizerLoader.Load(dir.Path).SpecialTokens.PaddingId);
    }
}
