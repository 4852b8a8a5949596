using Pipeline.Data;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Evaluation.Prompts;

/// <summary>
/// A held-out prompt every candidate answers: the conversation up to the assistant's turn, the reference reply when the
/// file carries one (for ROUGE-L and exact match), and its labels (intent, ...) for the report.
/// </summary>
public sealed record EvaluationPrompt(string Id, IReadOnlyList<ChatMessage> Messages, string? Reference, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The last user message: what the reply answers (and what the report shows).</summary>
    public string Question => Messages.LastOrDefault(m => m.Role == ChatRoles.User)?.Content ?? "";
}

/// <summary>A prompt set that cannot be evaluated; the message names the file (and line) and what to change.</summary>
public sealed class EvaluationInputException(string message) : Exception(message);
