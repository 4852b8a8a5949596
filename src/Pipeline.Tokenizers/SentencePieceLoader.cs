using Microsoft.ML.Tokenizers;

namespace Pipeline.Tokenizers;

/// <summary>
/// Loads a SentencePiece model (tokenizer.model, a protobuf ModelProto; BPE or Unigram) through
/// Microsoft.ML.Tokenizers' SentencePieceTokenizer.
/// </summary>
public static class SentencePieceLoader
{
    public static ITextTokenizer Load(string path, IReadOnlyList<AddedToken> addedTokens)
    {
        var specialMap = addedTokens.ToDictionary(t => t.Content, t => t.Id);
        SentencePieceTokenizer inner;
        using var stream = File.OpenRead(path);
        try
        {
            inner = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false,
                specialTokens: specialMap.Count == 0 ? null : specialMap);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The library reports damaged protobuf as InvalidProtocolBufferException (an IOException),
            // ArgumentException or worse; all of them mean the same thing to a user.
            throw new TokenizerFormatException(path, $"not a valid SentencePiece model ({ex.GetType().Name}: {ex.Message})", ex);
        }

        var vocabulary = inner.Vocabulary;
        if (vocabulary.Count == 0) throw new TokenizerFormatException(path, "the SentencePiece model has no pieces");
        var byId = new Dictionary<int, string>();
        foreach (var (piece, id) in vocabulary) byId.TryAdd(id, piece);
        foreach (var token in addedTokens) byId[token.Id] = token.Content;

        // Control pieces (<s>, </s>) and the config's special tokens are what decoding skips.
        var specialIds = addedTokens.Where(t => t.Special).Select(t => t.Id)
            .Append(inner.BeginningOfSentenceId).Append(inner.EndOfSentenceId)
            .Where(id => id >= 0);
        var tokenizer = new LibraryTokenizerAdapter(
            inner,
            byId.Keys.Max() + 1,
            token => specialMap.TryGetValue(token, out var s) ? s : vocabulary.TryGetValue(token, out var id) ? id : null,
            id => byId.GetValueOrDefault(id),
            specialIds)
        {
            FusedRunId = inner.UnknownId >= 0 ? inner.UnknownId : null,
        };
        tokenizer.SpecialTokens = new SpecialTokens
        {
            Bos = Piece(inner.BeginningOfSentenceToken, inner.BeginningOfSentenceId),
            Eos = Piece(inner.EndOfSentenceToken, inner.EndOfSentenceId),
            Unk = Piece(inner.UnknownToken, inner.UnknownId),
        };
        return tokenizer;
    }

    private static SpecialToken? Piece(string? text, int id) => text is null || id < 0 ? null : new SpecialToken(text, id);
}
