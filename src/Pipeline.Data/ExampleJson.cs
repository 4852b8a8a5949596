using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Data;

/// <summary>
/// The shard line format: <c>{"id":..,"messages":[{"role":..,"content":..}],"chosen":..,"rejected":..}</c>, snake_case,
/// one object per line. <c>chosen</c>/<c>rejected</c> are written only for preference pairs, <c>synthetic</c>/<c>provenance</c>
/// only for generated rows; <c>source</c> never is
/// (it stays out of the artifact; the data card cites files and lines).
/// </summary>
public static class ExampleJson
{
    // Relaxed escaping keeps non-ASCII text readable in the shards; the files are data, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    public static void Write(Utf8JsonWriter writer, Example example)
    {
        writer.WriteStartObject();
        writer.WriteString("id", example.Id);
        writer.WriteStartArray("messages");
        foreach (var message in example.Messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role);
            writer.WriteString("content", message.Content);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (example.Chosen is not null) writer.WriteString("chosen", example.Chosen);
        if (example.Rejected is not null) writer.WriteString("rejected", example.Rejected);
        if (example.Provenance is { } provenance)
        {
            writer.WriteBoolean("synthetic", true);
            writer.WriteStartObject("provenance");
            writer.WriteString("generator", provenance.Generator);
            // Sorted, so the same row is the same bytes whatever order the settings were collected in.
            foreach (var (name, value) in provenance.Settings.OrderBy(s => s.Key, StringComparer.Ordinal)) writer.WriteString(name, value);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary>Appends the example as one JSON line (with its trailing '\n') to <paramref name="output"/>.</summary>
    public static void WriteLine(IBufferWriter<byte> output, Example example)
    {
        using (var writer = new Utf8JsonWriter(output, WriterOptions)) Write(writer, example);
        output.Write("\n"u8);
    }

    public static string ToJsonLine(Example example)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) Write(writer, example);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads one shard line back. Throws <see cref="FormatException"/> naming the missing or mistyped field.</summary>
    public static Example Parse(string line, SourceLocation? source = null) =>
        Parse(Encoding.UTF8.GetBytes(line), source);

    public static Example Parse(ReadOnlySpan<byte> utf8Line, SourceLocation? source = null)
    {
        var reader = new Utf8JsonReader(utf8Line);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        string where = source is null ? "shard line" : source.ToString();
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{where}: expected a JSON object, found {root.ValueKind}.");
        var messages = new List<ChatMessage>();
        foreach (var message in RequiredProperty(root, "messages", JsonValueKind.Array, where).EnumerateArray())
        {
            messages.Add(new ChatMessage(
                RequiredProperty(message, "role", JsonValueKind.String, where).GetString()!,
                RequiredProperty(message, "content", JsonValueKind.String, where).GetString()!));
        }
        return new Example
        {
            Id = RequiredProperty(root, "id", JsonValueKind.String, where).GetString()!,
            Messages = messages,
            Chosen = OptionalString(root, "chosen", where),
            Rejected = OptionalString(root, "rejected", where),
            Provenance = OptionalProvenance(root, where),
            Source = source,
        };
    }

    private static JsonElement RequiredProperty(JsonElement element, string name, JsonValueKind kind, string where)
    {
        if (!element.TryGetProperty(name, out var value)) throw new FormatException($"{where}: missing field '{name}'.");
        if (value.ValueKind != kind) throw new FormatException($"{where}: field '{name}' should be {kind}, found {value.ValueKind}.");
        return value;
    }

    private static ExampleProvenance? OptionalProvenance(JsonElement root, string where)
    {
        if (!root.TryGetProperty("provenance", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Object) throw new FormatException($"{where}: field 'provenance' should be Object, found {value.ValueKind}.");
        var generator = RequiredProperty(value, "generator", JsonValueKind.String, where).GetString()!;
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject().Where(p => p.Name != "generator"))
            settings[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        return new ExampleProvenance(generator, settings);
    }

    private static string? OptionalString(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw new FormatException($"{where}: field '{name}' should be String, found {value.ValueKind}.");
        return value.GetString();
    }
}
