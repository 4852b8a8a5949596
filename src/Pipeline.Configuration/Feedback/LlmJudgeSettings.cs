using Pipeline.Configuration.Serving;
using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Feedback;

/// <summary>
/// The LLM judge of the feedback stage (RLAIF), used when <c>judge: llm</c>: a model asked through a chat client whether
/// one reply is better than another (pairwise) or how good one reply is (score, 1–10). Its verdicts are parsed strictly;
/// an answer that does not parse is asked again up to max_attempts times, then counted and dropped, never guessed.
/// </summary>
public sealed record LlmJudgeSettings : IValidatableSettings
{
    /// <summary>
    /// The OpenAI-compatible endpoint to ask (vLLM, Ollama, a hosted model, <c>pipeline serve</c>). Default none: the run's own
    /// policy (the SFT model, else the base model) answers in-process, which costs no server but judges with the model being
    /// trained.
    /// </summary>
    public ChatEndpointSettings? Endpoint { get; init; }

    /// <summary>
    /// How the judge is asked, default pairwise: two replies side by side, "which is better, A or B?", asked in both orders and
    /// kept only when both answers agree (position bias removed); k replies cost k(k−1) calls. score: each reply rated 1–10
    /// alone (k calls), pairs formed from the scores as for any scoring judge.
    /// </summary>
    public LlmJudgeMode Mode { get; init; } = LlmJudgeMode.Pairwise;

    /// <summary>The system message, default: the mode's built-in reviewer instruction.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>
    /// The user message, default: the mode's built-in prompt. Placeholders: {conversation} (the prompt's turns, one
    /// "role: text" line each) in both modes; {reply} in score mode; {reply_a} and {reply_b} in pairwise mode. The answer
    /// must be a whole number 1–10 ("7", "Score: 7") in score mode, and "A" or "B" ("Answer: A") in pairwise mode.
    /// </summary>
    public string? Template { get; init; }

    /// <summary>Asks per verdict before an unparseable answer is counted and dropped, default 3.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Longest answer in tokens, default 16 (a verdict is one word or number; a model that explains is cut off, then asked again).</summary>
    [Range(1, 4096)]
    public int MaxAnswerTokens { get; init; } = 16;

    void IValidatableSettings.Validate(SettingsValidationContext context)
    {
        if (Template is null || !context.IsValid("template", "mode")) return;
        string[] needed = Mode == LlmJudgeMode.Pairwise ? ["{reply_a}", "{reply_b}"] : ["{reply}"];
        var missing = needed.Where(p => !Template.Contains(p, StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
            context.Error("template", $"has no {string.Join(" or ", missing)}, so the judge would never see the replies; " +
                                      $"{ConfigNaming.NameOf(Mode)} mode places them with {string.Join(" and ", needed)} (and the prompt with {{conversation}})");
    }
}

/// <summary>How an LLM judge is asked.</summary>
public enum LlmJudgeMode
{
    /// <summary>Two replies side by side, both orders, agreeing verdicts kept.</summary>
    Pairwise,
    /// <summary>Each reply rated 1–10 on its own.</summary>
    Score,
}
