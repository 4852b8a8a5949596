using System.Text.Json;

namespace Pipeline.Data.Readers;

/// <summary>
/// ShareGPT records: <c>{"conversations":[{"from":"human|gpt|system","value":..}]}</c>; turns spelled
/// <c>role</c>/<c>content</c> are accepted too, and a top-level <c>system</c> string becomes the first turn.
/// </summary>
internal sealed class ShareGptReader : IRecordMapper
{
    public static ShareGptReader Instance { get; } = new();

    public DataFormat Format => DataFormat.ShareGpt;

    public string ExpectedShape => "a 'conversations' list";

    public bool Recognizes(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty("conversations", out _);

    public Example Map(JsonElement record, SourceLocation source)
    {
        JsonFields.RequireObject(record);
        var messages = MessageListParser.Parse(JsonFields.RequiredArray(record, "conversations"), "conversations");
        string? system = JsonFields.OptionalString(record, "system");
        if (!string.IsNullOrWhiteSpace(system) && (messages.Count == 0 || messages[0].Role != ChatRoles.System))
            messages.Insert(0, new ChatMessage(ChatRoles.System, system));
        ConversationRules.Validate(messages, "conversations", requireAssistant: true);
        return new Example
        {
            Id = JsonFields.OptionalId(record) ?? ExampleHasher.DerivedId(messages, null, null),
            Messages = messages,
            Source = source,
        };
    }
}
