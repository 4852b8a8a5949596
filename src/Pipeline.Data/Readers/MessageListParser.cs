using System.Text;
using System.Text.Json;

namespace Pipeline.Data.Readers;

/// <summary>
/// Parses a JSON list of turns in either spelling: OpenAI's <c>{"role","content"}</c> or ShareGPT's
/// <c>{"from","value"}</c>. Content may be a string or OpenAI's list of parts (text parts are joined).
/// </summary>
internal static class MessageListParser
{
    public static List<ChatMessage> Parse(JsonElement list, string field)
    {
        var messages = new List<ChatMessage>(list.GetArrayLength());
        int index = 0;
        foreach (var item in list.EnumerateArray())
        {
            index++;
            string where = $"item {index} of '{field}'";
            if (item.ValueKind != JsonValueKind.Object)
                throw new InvalidRowException(RowErrorReasons.WrongType, $"{where} should be an object, found {JsonFields.KindName(item.ValueKind)}");
            string rawRole = FirstPresent(item, where, "role", "from") is { } roleValue
                ? JsonFields.AsString(roleValue, $"'role' of {where}")
                : throw new InvalidRowException(RowErrorReasons.MissingField, $"{where} has no 'role' (or 'from')");
            string role = ChatRoles.Canonical(rawRole)
                ?? throw new InvalidRowException(RowErrorReasons.InvalidRole, $"{where} has role '{rawRole}'; allowed: {ChatRoles.AllowedDescription}");
            var content = FirstPresent(item, where, "content", "value")
                ?? throw new InvalidRowException(RowErrorReasons.MissingField, $"{where} has no 'content' (or 'value')");
            messages.Add(new ChatMessage(role, ContentText(content, where)));
        }
        return messages;
    }

    private static JsonElement? FirstPresent(JsonElement item, string where, string name, string alias)
    {
        if (item.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null) return value;
        if (item.TryGetProperty(alias, out value) && value.ValueKind != JsonValueKind.Null) return value;
        return null;
    }

    private static string ContentText(JsonElement content, string where)
    {
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array)
            throw new InvalidRowException(RowErrorReasons.WrongType, $"'content' of {where} should be a string or a list of parts, found {JsonFields.KindName(content.ValueKind)}");
        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            string? partText = part.ValueKind switch
            {
                JsonValueKind.String => part.GetString(),
                JsonValueKind.Object when part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String => t.GetString(),
                _ => null,
            };
            if (partText is null)
                throw new InvalidRowException(RowErrorReasons.WrongType, $"'content' of {where} has a part that is not text (only text parts are supported)");
            if (text.Length > 0) text.Append('\n');
            text.Append(partText);
        }
        return text.ToString();
    }
}
