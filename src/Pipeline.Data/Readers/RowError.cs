namespace Pipeline.Data.Readers;

/// <summary>
/// One record that could not become an <see cref="Example"/>. <see cref="Reason"/> is one of
/// <see cref="RowErrorReasons"/> (counted in the data card); <see cref="Detail"/> says what was wrong for a person.
/// </summary>
public sealed record RowError(string File, long Line, string Reason, string Detail)
{
    public override string ToString() => $"{File}:{Line}: {Reason}: {Detail}";
}

public static class RowErrorReasons
{
    public const string InvalidJson = "invalid_json";
    public const string MissingField = "missing_field";
    public const string WrongType = "wrong_type";
    public const string EmptyConversation = "empty_conversation";
    public const string InvalidRole = "invalid_role";
    public const string NoAssistantTurn = "no_assistant_turn";
    public const string NoUserTurn = "no_user_turn";
    public const string PrefixMismatch = "prefix_mismatch";
    public const string InvalidCsv = "invalid_csv";
    public const string ColumnCount = "column_count";
    public const string InvalidUtf8 = "invalid_utf8";
}

/// <summary>Thrown by record mappers and caught by the readers, which turn it into a <see cref="RowError"/>.</summary>
internal sealed class InvalidRowException(string reason, string detail) : Exception(detail)
{
    public string Reason { get; } = reason;
}
