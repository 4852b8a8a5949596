using System.Text.Json;

namespace Pipeline.Tokenizers.Tests;

/// <summary>
/// The SentencePiece loader against SentencePiece itself: two tiny models (Llama-2-style BPE with byte fallback, and
/// Unigram) and the ids SentencePieceProcessor.encode gives, made by scripts/tokenizer-references/make_sentencepiece_fixture.py.
/// </summary>
public sealed class SentencePieceReferenceTests
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "sentencepiece");

    public static TheoryData<string, string, int[]> Cases()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, "reference_encodings.json")));
        var data = new TheoryData<string, string, int[]>();
        foreach (var item in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(item.GetProperty("model").GetString()!, item.GetProperty("text").GetString()!,
                item.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encodes_as_sentencepiece(string model, string text, int[] expected)
    {
        var tokenizer = SentencePieceLoader.Load(Path.Combine(FixtureDirectory, model), []);
        Assert.Equal(expected, tokenizer.Encode(text));
    }
}
