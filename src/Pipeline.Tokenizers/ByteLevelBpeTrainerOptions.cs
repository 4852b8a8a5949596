namespace Pipeline.Tokenizers;

/// <summary>Settings of <see cref="ByteLevelBpeTrainer"/>.</summary>
public sealed record ByteLevelBpeTrainerOptions
{
    /// <summary>
    /// Final vocabulary size including the special tokens and the 256 byte tokens. Default 1024: enough
    /// merges for common English words while keeping a test-sized model's embedding small.
    /// </summary>
    public int VocabSize { get; init; } = 1024;

    /// <summary>
    /// A pair seen fewer times than this is not merged (training stops early). Default 2: a pair seen once
    /// is memorisation, not a reusable subword.
    /// </summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>Special tokens, given ids 0, 1, 2... in this order. Default: the GPT-2 and ChatML set plus a pad token.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|pad|>"];

    /// <summary>bos_token written to tokenizer_config.json; must be one of <see cref="SpecialTokens"/> or null. Default as GPT-2.</summary>
    public string? BosToken { get; init; } = "<|endoftext|>";

    /// <summary>eos_token written to tokenizer_config.json; must be one of <see cref="SpecialTokens"/> or null. Default as GPT-2.</summary>
    public string? EosToken { get; init; } = "<|endoftext|>";

    /// <summary>pad_token written to tokenizer_config.json; null lets loaders fall back to eos. Default a dedicated pad.</summary>
    public string? PadToken { get; init; } = "<|pad|>";

    /// <summary>
    /// Chat template name (see <see cref="ChatTemplates.ChatTemplateResolver.SupportedNames"/>) whose Jinja is written to
    /// tokenizer_config.json's chat_template; null writes none.
    /// </summary>
    public string? ChatTemplateName { get; init; }

    /// <summary>model_max_length written to tokenizer_config.json. Default 2048.</summary>
    public int ModelMaxLength { get; init; } = 2048;
}
