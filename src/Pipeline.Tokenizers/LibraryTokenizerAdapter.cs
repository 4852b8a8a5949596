using Microsoft.ML.Tokenizers;

namespace Pipeline.Tokenizers;

/// <summary>
/// Presents a Microsoft.ML.Tokenizers tokenizer (tiktoken, SentencePiece) as an <see cref="ITextTokenizer"/>.
/// Special tokens come from the tokenizer folder's configuration; the library splits them out of the text.
/// </summary>
internal sealed class LibraryTokenizerAdapter : ITextTokenizer
{
    private readonly Tokenizer inner;
    private readonly Func<string, int?> tokenToId;
    private readonly Func<int, string?> idToToken;
    private readonly HashSet<int> specialIds;

    public LibraryTokenizerAdapter(
        Tokenizer inner,
        int vocabSize,
        Func<string, int?> tokenToId,
        Func<int, string?> idToToken,
        IEnumerable<int> specialIds)
    {
        this.inner = inner;
        VocabSize = vocabSize;
        this.tokenToId = tokenToId;
        this.idToToken = idToToken;
        this.specialIds = specialIds.ToHashSet();
    }

    public int VocabSize { get; }

    public SpecialTokens SpecialTokens { get; internal set; } = new();

    /// <summary>Ids put before / after the text when special tokens are added (add_bos_token, add_eos_token).</summary>
    internal IReadOnlyList<int> PrefixIds { get; set; } = [];

    internal IReadOnlyList<int> SuffixIds { get; set; } = [];

    /// <summary>
    /// An id whose consecutive occurrences become one token: SentencePiece merges a run of unknown pieces into a single
    /// unk (PopulateSentencePieceText in sentencepiece_processor.cc); Microsoft.ML.Tokenizers emits one per character.
    /// </summary>
    internal int? FusedRunId { get; init; }

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false) =>
        EncodeWithOffsets(text, addSpecialTokens).Select(t => t.Id).ToArray();

    public IReadOnlyList<TokenSpan> EncodeWithOffsets(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<TokenSpan>();
        if (addSpecialTokens) result.AddRange(PrefixIds.Select(id => new TokenSpan(id, 0, 0)));
        var firstTextToken = result.Count;
        foreach (var token in this.inner.EncodeToTokens(text, out _))
        {
            // SentencePiece reports offsets in its normalized text (with the dummy-prefix '▁'), which can run
            // past the input by a character; clamping keeps them usable for masking.
            var start = Math.Clamp(token.Offset.Start.Value, 0, text.Length);
            var end = Math.Clamp(token.Offset.End.Value, start, text.Length);
            if (token.Id == FusedRunId && result.Count > firstTextToken && result[^1].Id == token.Id)
            {
                var previous = result[^1];
                result[^1] = previous with { Length = Math.Max(end, previous.Start + previous.Length) - previous.Start };
                continue;
            }
            result.Add(new TokenSpan(token.Id, start, end - start));
        }
        if (addSpecialTokens) result.AddRange(SuffixIds.Select(id => new TokenSpan(id, text.Length, 0)));
        return result;
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var kept = ids.Where(id => id >= 0 && id < VocabSize && !(skipSpecialTokens && this.specialIds.Contains(id)));
        return this.inner.Decode(kept);
    }

    public int? TokenToId(string token) => this.tokenToId(token);

    public string? IdToToken(int id) => this.idToToken(id);

    public bool IsSpecialToken(int id) => this.specialIds.Contains(id);
}
