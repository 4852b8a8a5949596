namespace Pipeline.Tokenizers;

/// <summary>
/// A token matched in the raw text before the model runs (Hugging Face <c>added_tokens</c>): special tokens
/// such as <c>&lt;|im_end|&gt;</c> and plain added words. <see cref="LeftStrip"/> and
/// <see cref="RightStrip"/> absorb the whitespace next to the token; <see cref="SingleWord"/> matches it only
/// between word boundaries.
/// </summary>
public sealed record AddedToken(
    int Id,
    string Content,
    bool Special,
    bool LeftStrip = false,
    bool RightStrip = false,
    bool SingleWord = false);
