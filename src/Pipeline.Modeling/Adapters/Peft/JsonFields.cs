using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Modeling.Adapters.Peft;

/// <summary>Typed reads of a JSON object whose errors name the file and the field.</summary>
internal sealed class JsonFields(JsonObject root, string source)
{
    public static JsonFields Parse(string json, string source)
    {
        try
        {
            return new JsonFields(JsonNode.Parse(json) as JsonObject
                ?? throw new AdapterConfigException($"{source}: the top level must be a JSON object."), source);
        }
        catch (JsonException e)
        {
            throw new AdapterConfigException($"{source}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
    }

    public AdapterConfigException Error(string field, string problem) => new($"{source}: {field}: {problem}.");

    public bool Has(string name) => Get(name) is not null;

    public string? OptionalString(string name) => Get(name) switch
    {
        null => null,
        var node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        var node => throw Wrong(name, node, "a string"),
    };

    public string RequiredString(string name) => OptionalString(name) ?? throw Missing(name, "a string");

    public bool? OptionalBool(string name) => Get(name) switch
    {
        null => null,
        var node when node.GetValueKind() is JsonValueKind.True or JsonValueKind.False => node.GetValue<bool>(),
        var node => throw Wrong(name, node, "true or false"),
    };

    public double? OptionalDouble(string name) => Get(name) switch
    {
        null => null,
        var node when node.GetValueKind() == JsonValueKind.Number => node.GetValue<double>(),
        var node => throw Wrong(name, node, "a number"),
    };

    public int RequiredInt(string name)
    {
        var value = OptionalDouble(name) ?? throw Missing(name, "an integer");
        return value == Math.Floor(value) && Math.Abs(value) <= int.MaxValue ? (int)value : throw Wrong(name, Get(name), "an integer");
    }

    /// <summary>A string or a list of strings (PEFT writes target_modules either way).</summary>
    public IReadOnlyList<string>? OptionalStringOrList(string name) => Get(name) switch
    {
        null => null,
        JsonArray array => [.. array.Select((item, i) => item is not null && item.GetValueKind() == JsonValueKind.String
            ? item.GetValue<string>() : throw Wrong($"{name}[{i}]", item, "a string"))],
        var node when node.GetValueKind() == JsonValueKind.String => [node.GetValue<string>()],
        var node => throw Wrong(name, node, "a string or a list of strings"),
    };

    /// <summary>True when the field is absent, null, or an empty object or list (PEFT's "not used" values).</summary>
    public bool IsUnset(string name) => Get(name) switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        _ => false,
    };

    public string Text(string name) => Get(name)?.ToJsonString() ?? "null";

    private JsonNode? Get(string name) => root.TryGetPropertyValue(name, out var node) ? node : null;

    private AdapterConfigException Missing(string name, string what) => new($"{source}: {name} is missing; it must be {what}.");

    private AdapterConfigException Wrong(string name, JsonNode? node, string what) =>
        new($"{source}: {name} is {node?.ToJsonString() ?? "null"}; it must be {what}.");
}
