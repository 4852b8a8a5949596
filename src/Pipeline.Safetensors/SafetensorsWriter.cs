using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Safetensors;

/// <summary>
/// Writes safetensors files the way Hugging Face's <c>serialize_to_file</c> does, so the bytes match
/// what Python would write for the same tensors: tensors sorted by dtype alignment (largest first)
/// then by name, offsets contiguous from 0, compact JSON with "__metadata__" first, the header padded
/// with spaces to a multiple of 8 bytes. Tensor data is streamed one tensor at a time.
/// </summary>
public static class SafetensorsWriter
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // serde_json escapes only quotes, backslashes and control characters; the default encoder
        // would also escape '+', '<', non-ASCII and so on. Relaxed keeps ASCII names byte-identical.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> through a ".partial" file that is
    /// renamed into place only when complete, so a failed write never leaves a truncated file behind.
    /// </summary>
    /// <param name="metadata">Written as "__metadata__" (keys in ordinal order); null or empty writes none.</param>
    public static void Write(string path, IEnumerable<TensorPayload> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        var partial = path + ".partial";
        try
        {
            using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                Write(file, tensors, metadata);
            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>Writes a whole safetensors file to <paramref name="destination"/>.</summary>
    public static void Write(Stream destination, IEnumerable<TensorPayload> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = Order(tensors);
        var header = BuildHeader(ordered, metadata);
        Span<byte> prefix = stackalloc byte[SafetensorsHeader.LengthPrefixSize];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        destination.Write(prefix);
        destination.Write(header);
        foreach (var tensor in ordered)
            tensor.WriteTo(destination);
        destination.Flush();
    }

    /// <summary>Total file size the tensors and metadata will take, without writing anything.</summary>
    public static long FileLength(IEnumerable<TensorPayload> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = Order(tensors);
        return SafetensorsHeader.LengthPrefixSize + BuildHeader(ordered, metadata).Length + ordered.Sum(t => t.ByteLength);
    }

    /// <summary>
    /// Upstream's order: descending dtype (the enum is declared in increasing alignment), then name
    /// compared as UTF-8 bytes like Rust's String. Keeps every tensor aligned to its element size.
    /// </summary>
    public static IReadOnlyList<TensorPayload> Order(IEnumerable<TensorPayload> tensors)
    {
        var list = tensors.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in list)
            if (!seen.Add(tensor.Name))
                throw new ArgumentException($"Tensor name '{tensor.Name}' is given twice; names in a safetensors file are unique.", nameof(tensors));
        var keys = list.ToDictionary(t => t, t => Encoding.UTF8.GetBytes(t.Name));
        list.Sort((a, b) => a.DType != b.DType ? b.DType.CompareTo(a.DType)
            : keys[a].AsSpan().SequenceCompareTo(keys[b]));
        return list;
    }

    /// <summary>The JSON header for tensors already in file order, padded with spaces to a multiple of 8.</summary>
    public static byte[] BuildHeader(IReadOnlyList<TensorPayload> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeaderJson.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in ordered)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.ToHeaderName());
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Shape)
                    json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset += tensor.ByteLength);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        var padding = (8 - buffer.WrittenCount % 8) % 8;
        var header = new byte[buffer.WrittenCount + padding];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }
}
