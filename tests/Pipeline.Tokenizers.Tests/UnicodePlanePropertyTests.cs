using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Tokenizers.Tests;

/// <summary>
/// Properties over random text mixing every Unicode plane (seeded, so a failure repeats): encoding loses nothing,
/// and the regex pre-tokenizers split exactly as a plain code-point matcher does (<see cref="CodePointSplitReference"/>).
/// </summary>
public sealed class UnicodePlanePropertyTests
{
    private const int Iterations = 400;
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>Code point pools: what tokenizer patterns treat differently, in and above the BMP.</summary>
    private static readonly (int From, int To)[] Pools =
    [
        ('a', 'z'), ('A', 'Z'), ('0', '9'), (' ', ' '), (' ', ' '), ('\n', '\n'), ('\r', '\r'), ('\t', '\t'), ('\'', '\''),
        ('!', '/'), (0xA0, 0x17E), (0x300, 0x36F), (0x660, 0x669), (0x2000, 0x200D), (0x2160, 0x2188), (0x3000, 0x3000),
        (0x4E00, 0x4E80), (0xAC00, 0xAC40), (0xFF10, 0xFF5A),
        (0x10400, 0x1044F), (0x1D400, 0x1D7FF), (0x1F300, 0x1FAFF), (0x1F1E6, 0x1F1FF), (0x20000, 0x2A6DF),
        (0x10107, 0x10133), (0xE0000, 0xE007F), (0xF0000, 0xF00FF), (0x100000, 0x1000FF), (0x0, 0x10FFFF),
    ];

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, 25);
        while (builder.Length < length * 2 && length > 0)
        {
            var (from, to) = Pools[random.Next(Pools.Length)];
            var cp = random.Next(from, to + 1);
            // Lone surrogates are not code points; U+017F and U+212A fold to ASCII letters under (?i).
            if (cp is >= 0xD800 and <= 0xDFFF or 0x17F or 0x212A) continue;
            builder.Append(char.ConvertFromUtf32(cp));
            if (builder.Length >= length * 2 || random.Next(4) == 0) length--;
        }
        return builder.ToString();
    }

    private static IEnumerable<string> Texts(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Iterations; i++) yield return RandomText(random);
    }

    [Fact]
    public void Byte_level_bpe_decodes_what_it_encoded()
    {
        var tokenizer = TokenizerLoader.Load(Path.Combine(Fixtures, "gpt2-vocab-merges"));
        foreach (var text in Texts(seed: 1))
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text), skipSpecialTokens: false));
        }
    }

    [Fact]
    public void Tiktoken_decodes_what_it_encoded()
    {
        var tokenizer = TiktokenLoader.Load(Path.Combine(Fixtures, "cl100k-subset", "cl100k_subset.tiktoken"), []);
        foreach (var text in Texts(seed: 2))
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("cl100k")]
    [InlineData("qwen2")]
    public void Regex_pre_tokenizer_splits_by_code_point(string pattern)
    {
        var (regex, reference) = pattern switch
        {
            "gpt2" => (PreTokenizer.Gpt2Pattern, (Func<string, List<string>>)CodePointSplitReference.Gpt2),
            "cl100k" => (TiktokenLoader.Cl100kPattern, t => CodePointSplitReference.Cl100kFamily(t, maxDigits: 3)),
            _ => (TiktokenLoader.Cl100kPattern.Replace(@"\p{N}{1,3}", @"\p{N}"), t => CodePointSplitReference.Cl100kFamily(t, maxDigits: 1)),
        };
        var preTokenizer = new PreTokenizer([new SplitStep(new Regex(regex, RegexOptions.CultureInvariant), SplitBehavior.Isolated, false)]);
        foreach (var text in Texts(seed: 3).Concat(["𝐀𝐁's it𝐀's", "Y𐐀.Y", "𝟙𝟙𝟙𝟙12", " 𝐀\n\n 𝟙 ", "\u3000\r\n  x"]))
        {
            var result = preTokenizer.Run(text);
            var pieces = result.Ranges.Select(r => result.Text.Substring(r.Start, r.Length)).ToList();
            Assert.True(reference(text).SequenceEqual(pieces),
                $"{pattern} split of {Escape(text)}: expected [{string.Join(", ", reference(text).Select(Escape))}], got [{string.Join(", ", pieces.Select(Escape))}]");
        }
    }

    private static string Escape(string text) =>
        string.Concat(text.EnumerateRunes().Select(r => r.Value is >= 0x20 and < 0x7F ? r.ToString() : $"\\u{{{r.Value:X}}}"));
}
