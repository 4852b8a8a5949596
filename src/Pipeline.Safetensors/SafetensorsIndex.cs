using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Safetensors;

/// <summary>
/// model.safetensors.index.json: {"metadata": {"total_size": N}, "weight_map": {"name": "model-00001-of-00002.safetensors"}}.
/// </summary>
/// <param name="WeightMap">Tensor name → shard file name (a bare file name in the index's directory).</param>
/// <param name="TotalSize">metadata.total_size, the sum of tensor byte lengths, when present.</param>
public sealed record SafetensorsIndex(IReadOnlyDictionary<string, string> WeightMap, long? TotalSize)
{
    /// <summary>Reads and checks an index file; problems are <see cref="SafetensorsFormatException"/>s naming it.</summary>
    public static SafetensorsIndex Read(string path)
    {
        ReadOnlySpan<byte> bytes = File.ReadAllBytes(path);
        // Tolerate a UTF-8 byte order mark, which editors and .NET's Encoding.UTF8 write.
        if (bytes.StartsWith("\uFEFF"u8))
            bytes = bytes[3..];
        try
        {
            return Parse(bytes, path);
        }
        catch (JsonException error)
        {
            throw new SafetensorsFormatException(path, null,
                $"the index is not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine}): {error.Message}", error);
        }
        catch (InvalidOperationException error)
        {
            throw new SafetensorsFormatException(path, null, $"the index has a string that is not valid Unicode: {error.Message}", error);
        }
    }

    private static SafetensorsIndex Parse(ReadOnlySpan<byte> bytes, string path)
    {
        var reader = new Utf8JsonReader(bytes);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new SafetensorsFormatException(path, null, "the index must be a JSON object with \"weight_map\".");
        Dictionary<string, string>? weightMap = null;
        long? totalSize = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString();
            reader.Read();
            if (key == "weight_map")
                weightMap = ReadWeightMap(ref reader, path);
            else if (key == "metadata" && reader.TokenType == JsonTokenType.StartObject)
                totalSize = ReadTotalSize(ref reader);
            else
                reader.Skip();
        }
        if (weightMap is null)
            throw new SafetensorsFormatException(path, null, "the index has no \"weight_map\" object (tensor name → shard file).");
        return new SafetensorsIndex(weightMap, totalSize);
    }

    private static Dictionary<string, string> ReadWeightMap(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new SafetensorsFormatException(path, null, $"\"weight_map\" must be an object of tensor name → shard file, found {reader.TokenType}.");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
                throw new SafetensorsFormatException(path, name, $"its \"weight_map\" entry must be a shard file name, found {reader.TokenType}.");
            var shard = reader.GetString()!;
            // A bare file name only: the index must not send the reader outside its directory.
            if (shard.Length == 0 || shard is "." or ".." || shard != Path.GetFileName(shard) || shard.Contains('\\'))
                throw new SafetensorsFormatException(path, name, $"shard '{shard}' is not a plain file name in the index's directory.");
            if (!map.TryAdd(name, shard))
                throw new SafetensorsFormatException(path, name, "the name appears twice in \"weight_map\".");
        }
        return map;
    }

    private static long? ReadTotalSize(ref Utf8JsonReader reader)
    {
        long? totalSize = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString();
            reader.Read();
            // Informational only; some writers store it as a float, which we simply do not report.
            if (key == "total_size" && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
                totalSize = value;
            else
                reader.Skip();
        }
        return totalSize;
    }

    /// <summary>Writes the index as transformers does: json.dumps(indent=2, sort_keys=True) plus a newline.</summary>
    public void Write(string path)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions
               { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            if (TotalSize is { } total)
                json.WriteNumber("total_size", total);
            json.WriteEndObject();
            json.WriteStartObject("weight_map");
            foreach (var (name, shard) in WeightMap.OrderBy(p => p.Key, StringComparer.Ordinal))
                json.WriteString(name, shard);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        File.WriteAllBytes(path, stream.ToArray());
    }
}
