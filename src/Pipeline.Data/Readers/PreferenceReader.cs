using System.Text.Json;

namespace Pipeline.Data.Readers;

/// <summary>
/// Preference pairs, in two shapes:
/// explicit <c>{"prompt":..,"chosen":..,"rejected":..}</c>, where the prompt is a string or a message list (also
/// accepted as <c>messages</c>) and chosen/rejected are strings or message lists whose last assistant turn is the
/// reply; or, without a prompt, two whole conversations in chosen and rejected (message lists or Anthropic HH
/// transcripts) that share every turn but the last: the shared turns become the prompt.
/// </summary>
internal sealed class PreferenceReader : IRecordMapper
{
    public static PreferenceReader Instance { get; } = new();

    public DataFormat Format => DataFormat.Preference;

    public string ExpectedShape => "'chosen' and 'rejected' fields";

    public bool Recognizes(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object && record.TryGetProperty("chosen", out _) && record.TryGetProperty("rejected", out _);

    public Example Map(JsonElement record, SourceLocation source)
    {
        JsonFields.RequireObject(record);
        string? promptField = JsonFields.Has(record, "prompt") ? "prompt" : JsonFields.Has(record, "messages") ? "messages" : null;
        var (prompt, chosen, rejected) = promptField is null
            ? SplitSharedPrefix(record)
            : (PromptMessages(record, promptField), Reply(record, "chosen"), Reply(record, "rejected"));

        string? system = JsonFields.OptionalString(record, "system");
        if (!string.IsNullOrWhiteSpace(system) && prompt[0].Role != ChatRoles.System)
            prompt.Insert(0, new ChatMessage(ChatRoles.System, system));
        ConversationRules.Validate(prompt, promptField ?? "prompt", requireAssistant: false);
        return new Example
        {
            Id = JsonFields.OptionalId(record) ?? ExampleHasher.DerivedId(prompt, chosen, rejected),
            Messages = prompt,
            Chosen = chosen,
            Rejected = rejected,
            Source = source,
        };
    }

    private static List<ChatMessage> PromptMessages(JsonElement record, string field)
    {
        var value = record.GetProperty(field);
        var messages = value.ValueKind switch
        {
            JsonValueKind.String => [new ChatMessage(ChatRoles.User, value.GetString()!)],
            JsonValueKind.Array => MessageListParser.Parse(value, field),
            _ => throw new InvalidRowException(RowErrorReasons.WrongType, $"field '{field}' should be a string or a message list, found {JsonFields.KindName(value.ValueKind)}"),
        };
        if (messages.Count == 0) throw new InvalidRowException(RowErrorReasons.EmptyConversation, $"'{field}' has no turns");
        return messages;
    }

    /// <summary>A reply given as a string, or as a message list whose last assistant turn is the reply.</summary>
    private static string Reply(JsonElement record, string field)
    {
        if (!record.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new InvalidRowException(RowErrorReasons.MissingField, $"missing field '{field}'");
        if (value.ValueKind == JsonValueKind.String) return value.GetString()!;
        if (value.ValueKind != JsonValueKind.Array)
            throw new InvalidRowException(RowErrorReasons.WrongType, $"field '{field}' should be a string or a message list, found {JsonFields.KindName(value.ValueKind)}");
        var messages = MessageListParser.Parse(value, field);
        return messages.LastOrDefault(m => m.Role == ChatRoles.Assistant)?.Content
            ?? throw new InvalidRowException(RowErrorReasons.NoAssistantTurn, $"'{field}' has no assistant turn to use as the reply");
    }

    private static (List<ChatMessage> Prompt, string Chosen, string Rejected) SplitSharedPrefix(JsonElement record)
    {
        var chosen = Conversation(record, "chosen");
        var rejected = Conversation(record, "rejected");
        if (chosen.Count < 2 || rejected.Count < 2)
            throw new InvalidRowException(RowErrorReasons.EmptyConversation,
                "without a 'prompt', 'chosen' and 'rejected' must be conversations of at least a user turn and an assistant reply");
        foreach (var (conversation, field) in new[] { (chosen, "chosen"), (rejected, "rejected") })
        {
            if (conversation[^1].Role != ChatRoles.Assistant)
                throw new InvalidRowException(RowErrorReasons.NoAssistantTurn, $"'{field}' does not end with an assistant reply");
        }
        if (chosen.Count != rejected.Count)
            throw new InvalidRowException(RowErrorReasons.PrefixMismatch,
                $"'chosen' has {chosen.Count} turns and 'rejected' {rejected.Count}; they must share every turn but the last");
        for (int i = 0; i < chosen.Count - 1; i++)
        {
            if (chosen[i].Role != rejected[i].Role || chosen[i].Content.Trim() != rejected[i].Content.Trim())
                throw new InvalidRowException(RowErrorReasons.PrefixMismatch,
                    $"'chosen' and 'rejected' differ at turn {i + 1}; they must share every turn but the last");
        }
        return (chosen.Take(chosen.Count - 1).ToList(), chosen[^1].Content, rejected[^1].Content);
    }

    private static List<ChatMessage> Conversation(JsonElement record, string field)
    {
        if (!record.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new InvalidRowException(RowErrorReasons.MissingField, $"missing field '{field}'");
        return value.ValueKind switch
        {
            JsonValueKind.Array => MessageListParser.Parse(value, field),
            JsonValueKind.String => HhTranscript.Parse(value.GetString()!, field),
            _ => throw new InvalidRowException(RowErrorReasons.WrongType, $"field '{field}' should be a message list or a transcript, found {JsonFields.KindName(value.ValueKind)}"),
        };
    }
}
