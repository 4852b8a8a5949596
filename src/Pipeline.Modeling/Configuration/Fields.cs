using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Modeling.Configuration;

/// <summary>Typed access to config.json fields with errors that name the file and the field.</summary>
internal sealed class Fields(JsonObject root, string source, string prefix = "")
{
    public JsonObject Root => root;
    public string Source => source;

    public ModelConfigException Error(string field, string problem) =>
        new($"{source}: {field}: {problem}.");

    public string RequiredString(string name) => OptionalString(name) ?? throw Missing(name, "a string");
    public int RequiredInt(string name) => OptionalInt(name) ?? throw Missing(name, "an integer");
    public double RequiredDouble(string name) => OptionalDouble(name) ?? throw Missing(name, "a number");

    public string? OptionalString(string name) =>
        Get(name) is { } node ? node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw Wrong(name, node, "a string") : null;

    public bool? OptionalBool(string name) =>
        Get(name) is { } node ? node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? node.GetValue<bool>() : throw Wrong(name, node, "true or false") : null;

    public double? OptionalDouble(string name) =>
        Get(name) is { } node ? node.GetValueKind() == JsonValueKind.Number ? node.GetValue<double>() : throw Wrong(name, node, "a number") : null;

    public int? OptionalInt(string name)
    {
        if (Get(name) is not { } node) return null;
        if (node.GetValueKind() == JsonValueKind.Number && node is JsonValue value && value.TryGetValue<int>(out var i)) return i;
        if (node.GetValueKind() == JsonValueKind.Number && node.GetValue<double>() is var d && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue) return (int)d;
        throw Wrong(name, node, "an integer");
    }

    /// <summary>An int or a list of ints (eos_token_id is either).</summary>
    public IReadOnlyList<int> OptionalIntList(string name)
    {
        if (Get(name) is not { } node) return [];
        if (node is JsonArray array)
            return [.. array.Select((item, i) => item is not null && item.GetValueKind() == JsonValueKind.Number
                ? item.GetValue<int>() : throw Wrong($"{name}[{i}]", item, "an integer"))];
        return [OptionalInt(name)!.Value];
    }

    private JsonNode? Get(string name) => root.TryGetPropertyValue(name, out var node) ? node : null;

    private ModelConfigException Missing(string name, string what) =>
        new($"{source}: {prefix}{name} is missing; it must be {what}.");

    private ModelConfigException Wrong(string name, JsonNode? node, string what) =>
        new($"{source}: {prefix}{name} is {node?.ToJsonString() ?? "null"}; it must be {what}.");
}
