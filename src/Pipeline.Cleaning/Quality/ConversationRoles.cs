namespace Pipeline.Cleaning.Quality;

/// <summary>The roles a chat turn may have.</summary>
public static class ConversationRoles
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
}
