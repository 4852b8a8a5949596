using System.Text;

namespace Pipeline.Tokenizers.Tests;

public sealed class TiktokenTests
{
    // Ranks: h=0 e=1 l=2 o=3 " "=4 he=5 ll=6 hell=7 hello=8 " h"=9.
    private static readonly string[] Ranked = ["h", "e", "l", "o", " ", "he", "ll", "hell", "hello", " h"];

    private static string TiktokenText(IEnumerable<string> tokens) =>
        string.Concat(tokens.Select((t, rank) => $"{Convert.ToBase64String(Encoding.UTF8.GetBytes(t))} {rank}\n"));

    private const string Config = """
        {
          "added_tokens_decoder": {
            "100": {"content": "<|begin_of_text|>", "special": true},
            "101": {"content": "<|eot_id|>", "special": true}
          },
          "bos_token": "<|begin_of_text|>",
          "eos_token": "<|eot_id|>",
          "add_bos_token": true
        }
        """;

    [Theory]
    [InlineData("tokenizer.model")]
    [InlineData("cl100k_tiny.tiktoken")]
    public void Loads_a_tiktoken_file_and_merges_by_rank(string fileName)
    {
        using var dir = new TempFolder();
        dir.Write(fileName, TiktokenText(Ranked));
        dir.Write("tokenizer_config.json", Config);
        var tokenizer = TokenizerLoader.Load(dir.Path);

        // "hello" → he(5) → ll(6) → hell(7) → hello(8). " hell": he(5) beats " h"(9): " " he l l → " " hell.
        Assert.Equal([8, 4, 7], tokenizer.Encode("hello hell"));
        Assert.Equal([8, 101], tokenizer.Encode("hello<|eot_id|>"));
        Assert.Equal([100, 8], tokenizer.Encode("hello", addSpecialTokens: true));
        Assert.Equal("hello hell", tokenizer.Decode([100, 8, 4, 7, 101]));
        Assert.Equal("<|begin_of_text|>hello", tokenizer.Decode([100, 8], skipSpecialTokens: false));
        Assert.Equal(102, tokenizer.VocabSize);
        Assert.Equal(new SpecialToken("<|eot_id|>", 101), tokenizer.SpecialTokens.Eos);
        Assert.Equal(7, tokenizer.TokenToId("hell"));
        Assert.Equal("Ġh", tokenizer.IdToToken(9)); // stored in the byte-level alphabet, like converted tokenizer.json files
    }

    [Fact]
    public void A_damaged_line_is_reported_with_its_number()
    {
        using var dir = new TempFolder();
        dir.Write("tokenizer.model", TiktokenText(Ranked) + "aGVsbG8= notanumber\n");
        var error = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(dir.Path));
        Assert.Contains("tokenizer.model", error.Message);
        Assert.Contains("line 11", error.Message);
    }

    [Fact]
    public void A_duplicate_rank_is_reported()
    {
        using var dir = new TempFolder();
        dir.Write("x.tiktoken", TiktokenText(Ranked) + "eHk= 3\n");
        var error = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(dir.Path));
        Assert.Contains("x.tiktoken", error.Message);
        Assert.Contains("rank 3 appears twice", error.Message);
    }
}
