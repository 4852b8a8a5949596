using System.Text.Json;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Tokenizers.Tests;

/// <summary>
/// Compares with ids computed by Hugging Face's JavaScript tokenizers (see Fixtures/make_reference_encodings.mjs)
/// for a Qwen2-layout tokenizer.json: NFC, Split regex, ByteLevel, pair merges, special tokens.
/// </summary>
public sealed class ReferenceEncodingTests
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "qwen2-style");

    public static TheoryData<string, int[]> Cases()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, "reference_encodings.json")));
        var data = new TheoryData<string, int[]>();
        foreach (var item in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(item.GetProperty("text").GetString()!, item.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encodes_exactly_as_hugging_face_tokenizers(string text, int[] expected)
    {
        var tokenizer = TokenizerLoader.Load(FixtureDirectory);
        Assert.Equal(expected, tokenizer.Encode(text));
    }

    [Fact]
    public void Fixture_folder_resolves_its_special_tokens_and_chat_template()
    {
        var tokenizer = TokenizerLoader.Load(FixtureDirectory);
        Assert.False(Assert.IsType<ByteLevelBpeTokenizer>(tokenizer).UnicodeNormalizationUnavailable);
        Assert.Equal(new SpecialToken("<|im_end|>", 2), tokenizer.SpecialTokens.Eos);
        var template = ChatTemplateResolver.Resolve(null, tokenizer, new DirectoryInfo(FixtureDirectory));
        Assert.Equal("qwen2", template.Name);
    }
}
