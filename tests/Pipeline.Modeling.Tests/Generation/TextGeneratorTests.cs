using Pipeline.Modeling.Generation;
using Pipeline.Tokenizers;

namespace Pipeline.Modeling.Tests.Generation;

public sealed class TextGeneratorTests
{
    /// <summary>One token per letter a–z (ids 1–26), "|" = 27 as eos; enough to check the plumbing around the model.</summary>
    private sealed class LetterTokenizer : ITextTokenizer
    {
        public int VocabSize => 28;
        public SpecialTokens SpecialTokens { get; } = new() { Eos = new SpecialToken("|", 27), StopTokenIds = [27] };
        public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false) => [.. text.Select(c => c == '|' ? 27 : c - 'a' + 1)];
        public IReadOnlyList<TokenSpan> EncodeWithOffsets(string text, bool addSpecialTokens = false) => [.. Encode(text).Select((id, i) => new TokenSpan(id, i, 1))];
        public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true) =>
            string.Concat(ids.Where(id => !(skipSpecialTokens && id == 27)).Select(id => id == 27 ? '|' : (char)('a' + id - 1)));
        public int? TokenToId(string token) => token.Length == 1 ? Encode(token)[0] : null;
        public string? IdToToken(int id) => Decode([id], skipSpecialTokens: false);
        public bool IsSpecialToken(int id) => id == 27;
    }

    [Fact]
    public void Decodes_what_the_token_generator_produces_and_stops_at_the_tokenizers_eos()
    {
        var tokenizer = new LetterTokenizer();
        using var model = TinyModels.Create(TinyModels.Llama() with { VocabSize = 28 });
        var tokens = SequenceGenerator.Generate(model, [tokenizer.Encode("hello").ToArray()], new GenerationOptions { MaxNewTokens = 10, EosTokenIds = [27] })[0];

        var text = new TextGenerator(model, tokenizer).Generate(["hello"], new GenerationOptions { MaxNewTokens = 10 })[0];

        Assert.Equal(tokens.TokenIds, text.Sequence.TokenIds);
        Assert.Equal(tokenizer.Decode(tokens.TokenIds), text.Text);
        Assert.DoesNotContain('|', text.Text);
    }
}
