namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>
/// One turn of a conversation. Roles are usually <see cref="System"/>, <see cref="User"/>, <see cref="Assistant"/> and
/// <see cref="Tool"/>; ChatML and Llama 3 render any role, as their official templates do.
/// </summary>
public sealed record ChatMessage(string Role, string Content)
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";

    public static ChatMessage FromSystem(string content) => new(System, content);
    public static ChatMessage FromUser(string content) => new(User, content);
    public static ChatMessage FromAssistant(string content) => new(Assistant, content);
}

/// <summary>
/// A piece of rendered chat text. <see cref="IsAssistantOutput"/> marks what supervised fine-tuning trains on:
/// assistant content and its end-of-turn token; system and user text and role headers are prompt.
/// </summary>
public sealed record ChatSegment(string Text, bool IsAssistantOutput);

/// <summary>The full rendered text and the same text cut into segments (their concatenation is <see cref="Text"/>).</summary>
public sealed record ChatRendering(string Text, IReadOnlyList<ChatSegment> Segments);
