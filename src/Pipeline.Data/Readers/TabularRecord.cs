using System.Buffers;
using System.Text.Json;

namespace Pipeline.Data.Readers;

/// <summary>
/// A table row (CSV record, Parquet row) as the JSON object its columns describe, so tables share the record
/// formats' mappers. Column names are matched in lower case. Text in a <c>messages</c> or <c>conversations</c> column
/// is JSON; text in <c>prompt</c>/<c>chosen</c>/<c>rejected</c> is JSON only when it is a list of objects (<c>[{</c>).
/// </summary>
internal static class TabularRecord
{
    private static readonly HashSet<string> JsonColumns = ["messages", "conversations"];
    private static readonly HashSet<string> MaybeJsonColumns = ["prompt", "chosen", "rejected"];

    public static ReadResult Map(string path, long line, IReadOnlyList<string> columns, IReadOnlyList<object?> values, IRecordMapper mapper, ReadPosition next)
    {
        try
        {
            using var document = ToJson(columns, values);
            return ReadResult.Ok(mapper.Map(document.RootElement, new SourceLocation(path, line)), next);
        }
        catch (InvalidRowException exception)
        {
            return ReadResult.Bad(new RowError(path, line, exception.Reason, exception.Message), next);
        }
    }

    private static JsonDocument ToJson(IReadOnlyList<string> columns, IReadOnlyList<object?> values)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            for (int i = 0; i < columns.Count; i++)
            {
                string column = columns[i].ToLowerInvariant();
                object? value = values[i];
                if (value is null) continue;
                writer.WritePropertyName(column);
                if (value is string text) WriteText(writer, column, text);
                else JsonSerializer.Serialize(writer, value, value.GetType());
            }
            writer.WriteEndObject();
        }
        return JsonDocument.Parse(output.WrittenMemory);
    }

    private static void WriteText(Utf8JsonWriter writer, string column, string text)
    {
        bool isJson = JsonColumns.Contains(column) || (MaybeJsonColumns.Contains(column) && text.TrimStart().StartsWith("[{", StringComparison.Ordinal));
        if (!isJson || string.IsNullOrWhiteSpace(text))
        {
            writer.WriteStringValue(text);
            return;
        }
        try
        {
            using var parsed = JsonDocument.Parse(text);
            parsed.RootElement.WriteTo(writer);
        }
        catch (JsonException exception)
        {
            throw new InvalidRowException(RowErrorReasons.InvalidJson, $"column '{column}' is not valid JSON: {JsonErrors.Describe(exception, 1)}");
        }
    }
}
