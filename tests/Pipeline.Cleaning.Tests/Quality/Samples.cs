using Pipeline.Data;

namespace Pipeline.Cleaning.Tests.Quality;

/// <summary>Small builders for the examples the quality filters check.</summary>
internal static class Samples
{
    public static Example Chat(params string[] userThenAssistant) =>
        new() { Id = "s", Messages = [.. userThenAssistant.Select((content, i) => new ChatMessage(i % 2 == 0 ? ChatRoles.User : ChatRoles.Assistant, content))] };

    public static Example Turns(params (string Role, string Content)[] turns) =>
        new() { Id = "s", Messages = [.. turns.Select(t => new ChatMessage(t.Role, t.Content))] };

    public static Example Pair(string prompt, string? chosen, string? rejected) =>
        new() { Id = "p", Messages = [new ChatMessage(ChatRoles.User, prompt)], Chosen = chosen, Rejected = rejected };
}
