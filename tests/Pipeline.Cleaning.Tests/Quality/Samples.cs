using Pipeline.Cleaning.Quality;

namespace Pipeline.Cleaning.Tests.Quality;

/// <summary>Small builders for conversation samples.</summary>
internal static class Samples
{
    public static ConversationSample Chat(params string[] userThenAssistant) =>
        new("s", [.. userThenAssistant.Select((content, i) => new ConversationTurn(i % 2 == 0 ? ConversationRoles.User : ConversationRoles.Assistant, content))]);

    public static ConversationSample Turns(params (string Role, string Content)[] turns) =>
        new("s", [.. turns.Select(t => new ConversationTurn(t.Role, t.Content))]);

    public static ConversationSample Pair(string prompt, string? chosen, string? rejected) =>
        new("p", [new ConversationTurn(ConversationRoles.User, prompt)], chosen, rejected);
}
