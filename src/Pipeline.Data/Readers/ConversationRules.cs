namespace Pipeline.Data.Readers;

/// <summary>
/// The shape every conversation must have: not empty, a system turn only first (chat templates put it there),
/// at least one user turn, and for supervised examples at least one assistant turn to learn from.
/// </summary>
internal static class ConversationRules
{
    public static void Validate(IReadOnlyList<ChatMessage> messages, string field, bool requireAssistant)
    {
        if (messages.Count == 0)
            throw new InvalidRowException(RowErrorReasons.EmptyConversation, $"'{field}' has no turns");
        for (int i = 1; i < messages.Count; i++)
        {
            if (messages[i].Role == ChatRoles.System)
                throw new InvalidRowException(RowErrorReasons.InvalidRole, $"'{field}' has a system turn at position {i + 1}; a system turn is allowed only first");
        }
        if (!messages.Any(m => m.Role == ChatRoles.User))
            throw new InvalidRowException(RowErrorReasons.NoUserTurn, $"'{field}' has no user turn");
        if (requireAssistant && !messages.Any(m => m.Role == ChatRoles.Assistant))
            throw new InvalidRowException(RowErrorReasons.NoAssistantTurn, $"'{field}' has no assistant turn to learn from");
    }
}
