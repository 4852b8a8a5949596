namespace Pipeline.Data;

/// <summary>One turn of a conversation. <see cref="Role"/> is one of <see cref="ChatRoles"/>.</summary>
public sealed record ChatMessage(string Role, string Content);
