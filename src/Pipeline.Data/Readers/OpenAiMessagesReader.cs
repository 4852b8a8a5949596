using System.Text.Json;

namespace Pipeline.Data.Readers;

/// <summary>OpenAI chat fine-tuning records: <c>{"messages":[{"role":..,"content":..}]}</c>.</summary>
internal sealed class OpenAiMessagesReader : IRecordMapper
{
    public static OpenAiMessagesReader Instance { get; } = new();

    public DataFormat Format => DataFormat.OpenAi;

    public string ExpectedShape => "a 'messages' list";

    public bool Recognizes(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty("messages", out _);

    public Example Map(JsonElement record, SourceLocation source)
    {
        JsonFields.RequireObject(record);
        var messages = MessageListParser.Parse(JsonFields.RequiredArray(record, "messages"), "messages");
        ConversationRules.Validate(messages, "messages", requireAssistant: true);
        return new Example
        {
            Id = JsonFields.OptionalId(record) ?? ExampleHasher.DerivedId(messages, null, null),
            Messages = messages,
            Source = source,
        };
    }
}
