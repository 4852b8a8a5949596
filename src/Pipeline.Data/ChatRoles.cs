namespace Pipeline.Data;

/// <summary>The roles a <see cref="ChatMessage"/> may carry, and the aliases the source formats use for them.</summary>
public static class ChatRoles
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
    /// <summary>A tool's result; rendered by the templates that know it, never produced by the readers.</summary>
    public const string Tool = "tool";

    /// <summary>Maps a role as spelled by a source (ShareGPT's human/gpt, OpenAI's user/assistant, ...) to ours; null when unknown.</summary>
    public static string? Canonical(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        "system" => System,
        "user" or "human" or "prompter" => User,
        "assistant" or "gpt" or "bot" or "model" or "chatgpt" or "bing" or "bard" => Assistant,
        _ => null,
    };

    public const string AllowedDescription = "system, user (alias human), assistant (alias gpt)";
}
