using System.Text;

namespace Pipeline.Tokenizers;

/// <summary>
/// Byte-level BPE as in GPT-2, Llama 3 and Qwen2, implemented here rather than through
/// Microsoft.ML.Tokenizers' BpeTokenizer so that every Hugging Face rule holds exactly: added tokens split
/// first (leftmost-longest, with lstrip/rstrip), Split/ByteLevel/Digits pre-tokenizers with their regex,
/// <c>ignore_merges</c>, template post-processing, and the ByteLevel decoder's handling of added tokens.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    private readonly BpeModel model;
    private readonly AddedTokenSplitter splitter;
    private readonly Dictionary<int, AddedToken> addedById;
    private readonly Dictionary<string, AddedToken> addedByContent;
    private readonly UnicodeNormalizer normalizer;
    private readonly PreTokenizer preTokenizer;

    internal ByteLevelBpeTokenizer(
        BpeModel model,
        IReadOnlyList<AddedToken> addedTokens,
        UnicodeNormalizer normalizer,
        PreTokenizer preTokenizer,
        IReadOnlyList<int> prefixIds,
        IReadOnlyList<int> suffixIds)
    {
        this.model = model;
        addedById = new Dictionary<int, AddedToken>();
        addedByContent = new Dictionary<string, AddedToken>(StringComparer.Ordinal);
        foreach (var token in addedTokens)
        {
            addedById[token.Id] = token;
            addedByContent[token.Content] = token;
        }
        splitter = new AddedTokenSplitter(addedTokens);
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        PrefixIds = prefixIds;
        SuffixIds = suffixIds;
        VocabSize = Math.Max(model.MaxId, addedTokens.Count == 0 ? -1 : addedTokens.Max(t => t.Id)) + 1;
    }

    public int VocabSize { get; }

    /// <summary>
    /// True when tokenizer.json declares a Unicode normalizer other than NFC (NFC, Qwen2's, is managed code and always
    /// works) that this process cannot apply because it runs with <c>InvariantGlobalization</c>; text that is not
    /// already normalized then encodes differently from Hugging Face.
    /// </summary>
    public bool UnicodeNormalizationUnavailable => this.normalizer.Unavailable;

    public SpecialTokens SpecialTokens { get; internal set; } = new();

    /// <summary>The added tokens (special or not), in id order.</summary>
    public IReadOnlyList<AddedToken> AddedTokens => addedById.Values.OrderBy(t => t.Id).ToList();

    /// <summary>Ids put before the text when special tokens are added (post-processor or add_bos_token).</summary>
    internal IReadOnlyList<int> PrefixIds { get; set; }

    /// <summary>Ids put after the text when special tokens are added (post-processor or add_eos_token).</summary>
    internal IReadOnlyList<int> SuffixIds { get; set; }

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false) =>
        EncodeWithOffsets(text, addSpecialTokens).Select(t => t.Id).ToArray();

    public IReadOnlyList<TokenSpan> EncodeWithOffsets(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<TokenSpan>(text.Length / 3 + 4);
        if (addSpecialTokens) tokens.AddRange(PrefixIds.Select(id => new TokenSpan(id, 0, 0)));
        foreach (var piece in splitter.Split(text))
        {
            if (piece.Token is { } added) tokens.Add(new TokenSpan(added.Id, piece.Start, piece.Length));
            else EncodeOrdinaryText(text.Substring(piece.Start, piece.Length), piece.Start, tokens);
        }
        if (addSpecialTokens) tokens.AddRange(SuffixIds.Select(id => new TokenSpan(id, text.Length, 0)));
        return tokens;
    }

    private void EncodeOrdinaryText(string segment, int segmentStart, List<TokenSpan> output)
    {
        var normalized = this.normalizer.Apply(segment);
        // Offsets are exact when normalization changed nothing (the usual case); otherwise every token of the
        // segment reports the whole segment, which is still correct for masking by segment.
        var exactOffsets = ReferenceEquals(normalized, segment) || normalized == segment;
        var pieces = this.preTokenizer.Run(normalized);
        var working = pieces.Text;
        foreach (var range in pieces.Ranges)
        {
            var word = working.Substring(range.Start, range.Length);
            var bytes = Encoding.UTF8.GetBytes(word);
            var byteCharStart = new int[bytes.Length];
            var byteCharEnd = new int[bytes.Length];
            MapBytesToChars(word, byteCharStart, byteCharEnd);
            foreach (var token in this.model.EncodeWord(ByteLevelAlphabet.EncodeBytes(bytes)))
            {
                if (!exactOffsets)
                {
                    output.Add(new TokenSpan(token.Id, segmentStart, segment.Length));
                    continue;
                }
                // Through SourceIndex, a prefix space ByteLevel inserted covers no input character.
                var start = pieces.SourceIndex[range.Start + byteCharStart[token.Start]];
                var end = pieces.SourceIndex[range.Start + byteCharEnd[token.Start + token.Length - 1]];
                output.Add(new TokenSpan(token.Id, segmentStart + start, end - start));
            }
        }
    }

    /// <summary>For each UTF-8 byte of <paramref name="word"/>: the first and one-past-last char of its character.</summary>
    private static void MapBytesToChars(string word, int[] charStart, int[] charEnd)
    {
        var b = 0;
        for (var c = 0; c < word.Length;)
        {
            var charCount = char.IsHighSurrogate(word[c]) && c + 1 < word.Length && char.IsLowSurrogate(word[c + 1]) ? 2 : 1;
            var byteCount = Encoding.UTF8.GetByteCount(word.AsSpan(c, charCount));
            for (var k = 0; k < byteCount; k++, b++)
            {
                charStart[b] = c;
                charEnd[b] = c + charCount;
            }
            c += charCount;
        }
    }

    /// <summary>
    /// Hugging Face's ByteLevel decoder: each token's characters map back to bytes; a token with a character
    /// outside the byte alphabet (an added token such as "hello world") contributes its own UTF-8 bytes;
    /// invalid UTF-8 becomes U+FFFD. Unknown ids are skipped.
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            string? token;
            if (addedById.TryGetValue(id, out var added))
            {
                if (skipSpecialTokens && added.Special) continue;
                token = added.Content;
            }
            else
            {
                token = this.model.IdToToken(id);
            }
            if (token is null) continue;
            AppendTokenBytes(token, bytes);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static void AppendTokenBytes(string token, List<byte> bytes)
    {
        var start = bytes.Count;
        foreach (var c in token)
        {
            if (!ByteLevelAlphabet.TryCharToByte(c, out var b))
            {
                bytes.RemoveRange(start, bytes.Count - start);
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
                return;
            }
            bytes.Add(b);
        }
    }

    public int? TokenToId(string token) =>
        addedByContent.TryGetValue(token, out var added) ? added.Id : this.model.TokenToId(token);

    public string? IdToToken(int id) => addedById.TryGetValue(id, out var added) ? added.Content : this.model.IdToToken(id);

    public bool IsSpecialToken(int id) => addedById.TryGetValue(id, out var added) && added.Special;
}
