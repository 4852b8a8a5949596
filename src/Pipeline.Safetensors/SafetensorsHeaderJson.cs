using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Pipeline.Safetensors;

/// <summary>A header entry as written, before its offsets are checked against the data section.</summary>
internal sealed record RawTensorEntry(string Name, SafetensorsDType DType, long[] Shape, long Begin, long End);

/// <summary>
/// Walks the JSON header token by token with <see cref="Utf8JsonReader"/>. A DOM or serializer would
/// silently keep the last of two entries with the same name; here duplicates are an error, and every
/// type mismatch is reported with the tensor it belongs to.
/// </summary>
internal ref struct SafetensorsHeaderJson
{
    public const string MetadataKey = "__metadata__";

    private Utf8JsonReader reader;
    private readonly string filePath;

    private SafetensorsHeaderJson(ReadOnlySpan<byte> json, string filePath)
    {
        reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        this.filePath = filePath;
    }

    public static (List<RawTensorEntry> Entries, Dictionary<string, string> Metadata) Read(
        ReadOnlySpan<byte> json, string filePath)
    {
        if (!Utf8.IsValid(json))
            throw new SafetensorsFormatException(filePath, null, "the header is not valid UTF-8.");
        var walker = new SafetensorsHeaderJson(json, filePath);
        try
        {
            return walker.ReadRoot();
        }
        catch (JsonException error)
        {
            throw new SafetensorsFormatException(filePath, null,
                $"the header is not valid JSON (byte {error.BytePositionInLine} of line {error.LineNumber + 1}): {error.Message}",
                error);
        }
    }

    private (List<RawTensorEntry>, Dictionary<string, string>) ReadRoot()
    {
        if (!reader.Read())
            throw Fail(null, "the header holds no JSON; it must be an object such as {\"name\": {\"dtype\": ...}}.");
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Fail(null, $"the header must be a JSON object, but it starts with {Describe(reader.TokenType)}.");

        var entries = new List<RawTensorEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, string>? metadata = null;
        while (Next() != JsonTokenType.EndObject)
        {
            var name = ReadString(null);
            if (!names.Add(name))
                throw Fail(name, "the name appears twice in the header; each tensor name must be unique.");
            Next();
            if (name == MetadataKey)
                metadata = ReadMetadata();
            else
                entries.Add(ReadEntry(name));
        }
        // Anything after the root object other than whitespace (the padding) makes Read() throw.
        if (reader.Read())
            throw Fail(null, "the header has content after its JSON object; only space padding may follow it.");
        return (entries, metadata ?? new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private Dictionary<string, string>? ReadMetadata()
    {
        // serde's Option accepts null for "__metadata__": no metadata.
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Fail(null, $"\"{MetadataKey}\" must be an object of string values, found {Describe(reader.TokenType)}.");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (Next() != JsonTokenType.EndObject)
        {
            var key = ReadString(null);
            if (metadata.ContainsKey(key))
                throw Fail(null, $"\"{MetadataKey}\" has the key '{key}' twice.");
            if (Next() != JsonTokenType.String)
                throw Fail(null, $"\"{MetadataKey}\" value of '{key}' must be a string, found {Describe(reader.TokenType)}.");
            metadata[key] = ReadString(null);
        }
        return metadata;
    }

    private RawTensorEntry ReadEntry(string name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Fail(name, $"the entry must be an object with \"dtype\", \"shape\" and \"data_offsets\", found {Describe(reader.TokenType)}.");
        SafetensorsDType? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        while (Next() != JsonTokenType.EndObject)
        {
            var field = ReadString(name);
            Next();
            switch (field)
            {
                case "dtype":
                    if (dtype is not null) throw Fail(name, "\"dtype\" is given twice.");
                    dtype = ReadDType(name);
                    break;
                case "shape":
                    if (shape is not null) throw Fail(name, "\"shape\" is given twice.");
                    shape = ReadIntegerArray(name, "shape");
                    break;
                case "data_offsets":
                    if (offsets is not null) throw Fail(name, "\"data_offsets\" is given twice.");
                    offsets = ReadIntegerArray(name, "data_offsets");
                    if (offsets.Length != 2)
                        throw Fail(name, $"\"data_offsets\" must hold exactly two integers [begin, end], found {offsets.Length}.");
                    break;
                default:
                    // Upstream (serde without deny_unknown_fields) ignores unknown fields; so do we.
                    reader.Skip();
                    break;
            }
        }
        var missing = new[] { ("dtype", dtype is null), ("shape", shape is null), ("data_offsets", offsets is null) }
            .Where(f => f.Item2).Select(f => $"\"{f.Item1}\"").ToArray();
        if (missing.Length > 0)
            throw Fail(name, $"the entry lacks {string.Join(" and ", missing)}; each tensor needs \"dtype\", \"shape\" and \"data_offsets\".");
        return new RawTensorEntry(name, dtype!.Value, shape!, offsets![0], offsets[1]);
    }

    private SafetensorsDType ReadDType(string name)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw Fail(name, $"\"dtype\" must be a string, found {Describe(reader.TokenType)}.");
        var text = ReadString(name);
        if (!SafetensorsDTypes.TryParse(text, out var dtype))
            throw Fail(name, $"unknown dtype '{Shorten(text)}'; supported dtypes are {SafetensorsDTypes.SupportedNames}.");
        return dtype;
    }

    private long[] ReadIntegerArray(string name, string field)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Fail(name, $"\"{field}\" must be an array of non-negative integers, found {Describe(reader.TokenType)}.");
        var values = new List<long>();
        while (Next() != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
                throw Fail(name, $"\"{field}\" must hold only non-negative integers, found {Describe(reader.TokenType)}.");
            if (!reader.TryGetInt64(out var value) || value < 0)
                throw Fail(name, $"\"{field}\" must hold only non-negative integers up to {long.MaxValue}, found {Shorten(Encoding.UTF8.GetString(reader.ValueSpan))}.");
            values.Add(value);
        }
        return values.ToArray();
    }

    private JsonTokenType Next()
    {
        // The reader is given the whole header as its final block, so running out means truncation.
        if (!reader.Read())
            throw Fail(null, "the header JSON ends before its object is closed.");
        return reader.TokenType;
    }

    private string ReadString(string? tensor)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException error)
        {
            // Escapes such as a lone "\uD800" cannot become a .NET string.
            throw new SafetensorsFormatException(filePath, tensor,
                $"the header has a string that is not valid Unicode near byte {reader.TokenStartIndex}: {error.Message}", error);
        }
    }

    private readonly SafetensorsFormatException Fail(string? tensor, string problem) =>
        new(filePath, tensor, problem);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
