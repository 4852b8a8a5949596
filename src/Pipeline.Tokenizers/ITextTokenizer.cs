namespace Pipeline.Tokenizers;

/// <summary>
/// The tokenizer the rest of the pipeline sees, whatever file format it was loaded from
/// (Hugging Face tokenizer.json, vocab.json + merges.txt, tiktoken, SentencePiece).
/// </summary>
public interface ITextTokenizer
{
    /// <summary>
    /// Number of rows an embedding matrix needs: the highest id in the vocabulary or among the added
    /// tokens, plus one (like <c>len(tokenizer)</c> in transformers when ids are dense).
    /// </summary>
    int VocabSize { get; }

    /// <summary>Bos, eos, pad and unk as resolved from the tokenizer files.</summary>
    SpecialTokens SpecialTokens { get; }

    /// <summary>
    /// Encodes text. Special and added tokens written in the text (e.g. <c>&lt;|im_start|&gt;</c>) become
    /// their single ids. <paramref name="addSpecialTokens"/> applies the tokenizer's own post-processing
    /// (e.g. Llama 3 prepends <c>&lt;|begin_of_text|&gt;</c>; GPT-2 and Qwen2 add nothing), as transformers does.
    /// </summary>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false);

    /// <summary>
    /// Like <see cref="Encode"/>, with each token's character range in <paramref name="text"/>; tokens that
    /// the tokenizer adds (bos) have an empty range at 0. Used to map rendered chat segments to tokens.
    /// </summary>
    IReadOnlyList<TokenSpan> EncodeWithOffsets(string text, bool addSpecialTokens = false);

    /// <summary>Decodes ids to text; with <paramref name="skipSpecialTokens"/> the special tokens are left out.</summary>
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true);

    /// <summary>The id of a token as it is stored in the vocabulary (byte-level form, e.g. "Ġthe"), or null.</summary>
    int? TokenToId(string token);

    /// <summary>The stored form of the token with this id, or null when the id is unknown.</summary>
    string? IdToToken(int id);

    /// <summary>True when the id is a special token (skipped by <see cref="Decode"/> by default).</summary>
    bool IsSpecialToken(int id);
}

/// <summary>One encoded token and the characters <c>[Start, Start + Length)</c> of the input it came from.</summary>
public readonly record struct TokenSpan(int Id, int Start, int Length)
{
    public int End => Start + Length;
}
