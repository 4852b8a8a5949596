namespace Pipeline.Tokenizers;

/// <summary>A special token's text and id.</summary>
public sealed record SpecialToken(string Text, int Id);

/// <summary>
/// The special tokens a model needs, resolved from tokenizer_config.json (bos_token, eos_token, pad_token,
/// unk_token as strings or <c>{"content": ...}</c> objects) and generation_config.json (eos_token_id as an
/// int or a list).
/// </summary>
public sealed record SpecialTokens
{
    public SpecialToken? Bos { get; init; }

    /// <summary>The primary end-of-sequence token (the first of generation_config's list when there is one).</summary>
    public SpecialToken? Eos { get; init; }

    /// <summary>
    /// Padding token. When the tokenizer files name no pad token this falls back to <see cref="Eos"/>
    /// (the usual practice for decoder-only models; <see cref="PadIsEos"/> then says so), because batching
    /// needs some id and the attention mask, not the id, keeps padding out of the loss.
    /// </summary>
    public SpecialToken? Pad { get; init; }

    /// <summary>True when <see cref="Pad"/> was not configured and is the eos fallback.</summary>
    public bool PadIsEosFallback { get; init; }

    public SpecialToken? Unk { get; init; }

    /// <summary>
    /// Every id that ends generation: eos plus the other ids of generation_config's eos_token_id list
    /// (Llama 3 Instruct stops at both <c>&lt;|end_of_text|&gt;</c> and <c>&lt;|eot_id|&gt;</c>).
    /// </summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    public int? BosId => Bos?.Id;
    public int? EosId => Eos?.Id;
    public int? PadId => Pad?.Id;
    public int? UnkId => Unk?.Id;

    /// <summary>
    /// The id batches are padded with: <see cref="Pad"/>, else <see cref="Eos"/>, else 0. Any id will do when the tokenizer
    /// names neither, because the attention mask (not the id) keeps padding out of attention and the loss; this is the one
    /// place that fallback is decided.
    /// </summary>
    public int PaddingId => PadId ?? EosId ?? 0;
}
