using System.Text.Json;

namespace Pipeline.Tokenizers;

/// <summary>Reads JSON tokenizer files, turning every structural problem into a <see cref="TokenizerFormatException"/>.</summary>
internal static class JsonFile
{
    public static JsonDocument Parse(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new TokenizerFormatException(path, $"invalid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }
    }

    public static JsonElement? Property(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static JsonElement RequireObject(JsonElement obj, string name, string path, string where)
    {
        var value = Property(obj, name)
            ?? throw new TokenizerFormatException(path, $"{where} has no '{name}'");
        if (value.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, $"{where}.{name} must be an object, found {value.ValueKind}");
        return value;
    }

    public static string? String(JsonElement obj, string name, string path, string where)
    {
        var value = Property(obj, name);
        if (value is null) return null;
        if (value.Value.ValueKind != JsonValueKind.String)
            throw new TokenizerFormatException(path, $"{where}.{name} must be a string, found {value.Value.ValueKind}");
        return value.Value.GetString();
    }

    public static bool Bool(JsonElement obj, string name, bool defaultValue, string path, string where)
    {
        var value = Property(obj, name);
        return value?.ValueKind switch
        {
            null => defaultValue,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            var kind => throw new TokenizerFormatException(path, $"{where}.{name} must be true or false, found {kind}"),
        };
    }

    public static int Int(JsonElement value, string path, string where)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i)) return i;
        throw new TokenizerFormatException(path, $"{where} must be an integer, found {Describe(value)}");
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        var kind => kind.ToString(),
    };
}
