using System.Text.Json;

namespace Pipeline.Tokenizers.Tests;

/// <summary>
/// The tiktoken loader against tiktoken itself on text with characters above U+FFFF (mathematical alphanumerics,
/// Deseret, CJK Extension B, emoji), which .NET's regex would see as surrogate halves: a slice of cl100k_base and
/// tiktoken's ids, made by scripts/tokenizer-references/make_cl100k_subset.mjs.
/// </summary>
public sealed class Cl100kReferenceTests
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "cl100k-subset");

    public static TheoryData<string, int[]> Cases() => ReferenceCases.Read(Path.Combine(FixtureDirectory, "reference_encodings.json"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encodes_exactly_as_tiktoken(string text, int[] expected)
    {
        var tokenizer = TiktokenLoader.Load(Path.Combine(FixtureDirectory, "cl100k_subset.tiktoken"), []);
        Assert.Equal(expected, tokenizer.Encode(text));
        Assert.Equal(text, tokenizer.Decode(expected));
    }
}

/// <summary>Reads a reference file: {"cases": [{"text": ..., "ids": [...]}, ...]}.</summary>
internal static class ReferenceCases
{
    public static TheoryData<string, int[]> Read(string path)
    {
        var data = new TheoryData<string, int[]>();
        foreach (var (text, ids) in ReadPairs(path)) data.Add(text, ids);
        return data;
    }

    public static List<(string Text, int[] Ids)> ReadPairs(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .Select(item => (item.GetProperty("text").GetString()!, item.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()))
            .ToList();
    }
}
