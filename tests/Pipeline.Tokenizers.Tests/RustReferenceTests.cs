using System.Text;
using System.Text.Json;

namespace Pipeline.Tokenizers.Tests;

/// <summary>
/// Compares with answers of the Rust library itself (its Node binding; scripts/tokenizer-references/make_rust_references.mjs):
/// pre-tokenizer pieces, and ids of tokenizer.json and vocab.json + merges.txt folders.
/// </summary>
public sealed class RustReferenceTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static TheoryData<string, string, string[]> SplitCases()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "rust-references", "pretokenizer_splits.json")));
        var data = new TheoryData<string, string, string[]>();
        foreach (var item in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(item.GetProperty("pre_tokenizer").GetRawText(), item.GetProperty("text").GetString()!,
                item.GetProperty("pieces").EnumerateArray().Select(p => p.GetString()!).ToArray());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SplitCases))]
    public void Pre_tokenizer_pieces_equal_the_rust_library(string preTokenizerJson, string text, string[] expected)
    {
        using var json = JsonDocument.Parse(preTokenizerJson);
        var steps = HuggingFaceTokenizerJson.ReadPreTokenizerSteps(json.RootElement, "reference");
        var result = new PreTokenizer(steps).Run(text);
        // After ByteLevel, Rust's pieces are in the byte-level alphabet.
        var byteLevel = steps.OfType<ByteLevelStep>().Any();
        var pieces = result.Ranges
            .Select(r => result.Text.Substring(r.Start, r.Length))
            .Select(p => byteLevel ? ByteLevelAlphabet.EncodeBytes(Encoding.UTF8.GetBytes(p)) : p);
        Assert.Equal(expected, pieces);
    }

    public static TheoryData<string, string, int[]> EncodingCases()
    {
        var data = new TheoryData<string, string, int[]>();
        foreach (var (folder, file) in new[]
                 {
                     ("qwen2-style", "rust_reference_encodings.json"),
                     ("prefix-space", "reference_encodings.json"),
                     ("single-word", "reference_encodings.json"),
                     ("gpt2-vocab-merges", "reference_encodings.json"),
                 })
        {
            foreach (var (text, ids) in ReferenceCases.ReadPairs(Path.Combine(Fixtures, folder, file))) data.Add(folder, text, ids);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EncodingCases))]
    public void Encodes_and_decodes_as_the_rust_library(string folder, string text, int[] expected)
    {
        var tokenizer = TokenizerLoader.Load(Path.Combine(Fixtures, folder));
        Assert.Equal(expected, tokenizer.Encode(text));
        if (folder != "prefix-space") Assert.Equal(text, tokenizer.Decode(expected, skipSpecialTokens: false));
    }
}
