namespace Pipeline.Cleaning.Quality;

/// <summary>One chat turn: a role (<see cref="ConversationRoles"/>) and its text.</summary>
public sealed record ConversationTurn(string Role, string Content);
