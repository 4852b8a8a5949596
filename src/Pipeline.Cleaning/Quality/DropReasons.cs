namespace Pipeline.Cleaning.Quality;

/// <summary>Every drop reason, as the counters and data card show it.</summary>
public static class DropReasons
{
    public const string MalformedConversation = "malformed_conversation";
    public const string EmptyResponse = "empty_response";
    public const string ChosenEqualsRejected = "chosen_equals_rejected";
    public const string BrokenEncoding = "broken_encoding";
    public const string ResponseEchoesInstruction = "response_echoes_instruction";
    public const string RefusalOnly = "refusal_only";
    public const string TokenLength = "token_length";
    public const string ScriptMismatch = "script_mismatch";
    public const string SymbolRatio = "symbol_ratio";
    public const string RepeatedNGrams = "repeated_ngrams";
    public const string NearDuplicate = "near_duplicate";

    /// <summary>The reasons of the quality filters (those <see cref="QualityOptions.DisabledFilters"/> may name).</summary>
    public static readonly IReadOnlyList<string> QualityFilters =
    [
        MalformedConversation, EmptyResponse, ChosenEqualsRejected, BrokenEncoding, ResponseEchoesInstruction,
        RefusalOnly, TokenLength, ScriptMismatch, SymbolRatio, RepeatedNGrams,
    ];
}
