using YamlDotNet.Serialization;
using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Ingest;

/// <summary>
/// Heuristic filters in the spirit of Gopher/C4: cheap rules that drop rows no model should learn from.
/// Lengths are counted in whitespace-separated words, since the tokenizer is not known at ingest.
/// </summary>
public sealed record QualitySettings : IValidatableSettings
{
    /// <summary>Rows shorter than this are dropped; default 1 (only empty rows go).</summary>
    [Range(0, 1_000_000)]
    public int MinTokens { get; init; } = 1;

    /// <summary>Rows longer than this are dropped, default 4096: beyond any max_seq_length worth training here.</summary>
    [Range(1, 10_000_000)]
    public int MaxTokens { get; init; } = 4096;

    /// <summary>
    /// Writing systems a row may use (the majority script of its letters). Default empty: any script,
    /// because dropping every non-Latin row should be a decision, not a default.
    /// </summary>
    [DistinctItems]
    public IReadOnlyList<Script> AllowedScripts { get; init; } = [];

    /// <summary>
    /// Largest share of a row's word 3-grams that may be repeats, default 0.3: more is usually
    /// boilerplate or generation loops.
    /// </summary>
    [Range(0, 1)]
    [YamlMember(Alias = "max_repeated_ngram_fraction")]
    public double MaxRepeatedNGramFraction { get; init; } = 0.3;

    /// <summary>Largest share of non-alphanumeric, non-space characters, default 0.5 (markup and tables).</summary>
    [Range(0, 1)]
    public double MaxSymbolRatio { get; init; } = 0.5;

    /// <summary>
    /// Drop responses that are refusals ("As an AI language model, I cannot..."), default true: they
    /// teach refusing ordinary requests.
    /// </summary>
    public bool DropRefusals { get; init; } = true;

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        if (context.IsValid("min_tokens", "max_tokens") && MinTokens > MaxTokens)
            context.Error(context.IsSet("min_tokens") ? "min_tokens" : "max_tokens",
                $"min_tokens ({MinTokens}) is larger than max_tokens ({MaxTokens}); every row would be dropped");
    }
}

/// <summary>Unicode scripts the quality filter can require.</summary>
public enum Script
{
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Devanagari,
    Han,
    Hiragana,
    Katakana,
    Hangul,
    Thai,
}
