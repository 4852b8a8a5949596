namespace Pipeline.Data;

/// <summary>
/// One turn of a conversation: what the datasets hold and the chat templates render (one type for both). <see cref="Role"/>
/// is usually one of <see cref="ChatRoles"/>; ChatML and Llama 3 render any role, as their official templates do.
/// </summary>
public sealed record ChatMessage(string Role, string Content)
{
    public static ChatMessage FromSystem(string content) => new(ChatRoles.System, content);
    public static ChatMessage FromUser(string content) => new(ChatRoles.User, content);
    public static ChatMessage FromAssistant(string content) => new(ChatRoles.Assistant, content);
}
