using System.Globalization;
using System.Text.Json;

namespace Pipeline.Data.Readers;

/// <summary>Typed access to a record's fields; every failure is an <see cref="InvalidRowException"/> naming the field.</summary>
internal static class JsonFields
{
    public static bool Has(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public static string RequiredString(JsonElement record, string name)
    {
        if (!record.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new InvalidRowException(RowErrorReasons.MissingField, $"missing field '{name}'");
        return AsString(value, $"field '{name}'");
    }

    public static string? OptionalString(JsonElement record, string name)
    {
        if (!record.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return AsString(value, $"field '{name}'");
    }

    public static JsonElement RequiredArray(JsonElement record, string name)
    {
        if (!record.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new InvalidRowException(RowErrorReasons.MissingField, $"missing field '{name}'");
        if (value.ValueKind != JsonValueKind.Array)
            throw new InvalidRowException(RowErrorReasons.WrongType, $"field '{name}' should be a list, found {KindName(value.ValueKind)}");
        return value;
    }

    /// <summary>The source's own id: a string or a number; null when absent.</summary>
    public static string? OptionalId(JsonElement record)
    {
        if (!record.TryGetProperty("id", out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } id ? id : null,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new InvalidRowException(RowErrorReasons.WrongType, $"field 'id' should be a string or a number, found {KindName(value.ValueKind)}"),
        };
    }

    public static string AsString(JsonElement value, string what)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw new InvalidRowException(RowErrorReasons.WrongType, $"{what} should be a string, found {KindName(value.ValueKind)}");
        return value.GetString()!;
    }

    public static void RequireObject(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
            throw new InvalidRowException(RowErrorReasons.WrongType, $"expected a JSON object, found {KindName(record.ValueKind)}");
    }

    public static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    /// <summary>The record's keys, for error messages ("found keys instruction, output").</summary>
    public static string KeyList(JsonElement record) =>
        record.ValueKind == JsonValueKind.Object
            ? string.Join(", ", record.EnumerateObject().Select(p => p.Name))
            : KindName(record.ValueKind);
}
