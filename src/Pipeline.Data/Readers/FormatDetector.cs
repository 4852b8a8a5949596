using System.Text;
using System.Text.Json;

namespace Pipeline.Data.Readers;

/// <summary>
/// Tells a file's container and record format from the config, its extension and its first bytes and record, and
/// checks that the file is what the config says. Failures are <see cref="DataFormatException"/>s naming the file,
/// the expected format and what was found.
/// </summary>
public static class FormatDetector
{
    /// <summary>How many records to look through for the first well-formed one (earlier ones may be bad rows).</summary>
    public const int RecordsToProbe = 100;

    private const string TableLayouts =
        "instruction/input/output, prompt/response (or completion), prompt/chosen/rejected, chosen/rejected, " +
        "or a messages (or conversations) column";

    public static async Task<DetectedFormat> DetectAsync(DatasetInput input, CancellationToken ct = default)
    {
        string path = input.Path;
        if (!File.Exists(path))
            throw new DataFormatException(path, $"{path}: input file not found (looked at {Path.GetFullPath(path)}).");
        var (isParquet, firstChar, head) = await SniffAsync(path, ct).ConfigureAwait(false);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        string found = isParquet ? "a Parquet file" : firstChar is '{' or '[' ? "JSON" : firstChar is null ? "an empty file" : $"text starting with \"{head}\" (CSV?)";

        switch (input.Format)
        {
            case DataFormat.Parquet:
                if (!isParquet) throw Mismatch(path, input.Format, "a Parquet file (starting with the bytes 'PAR1')", found);
                return await TableAsync(path, DataContainer.Parquet, ct).ConfigureAwait(false);
            case DataFormat.Csv:
                if (isParquet || firstChar is '{' or '[') throw Mismatch(path, input.Format, "a CSV file with a header row", found);
                return await TableAsync(path, DataContainer.Csv, ct).ConfigureAwait(false);
            case DataFormat.Auto:
                if (isParquet || extension == ".parquet")
                {
                    if (!isParquet) throw Mismatch(path, DataFormat.Parquet, "a Parquet file (starting with the bytes 'PAR1')", found);
                    return await TableAsync(path, DataContainer.Parquet, ct).ConfigureAwait(false);
                }
                if (extension == ".csv") return await TableAsync(path, DataContainer.Csv, ct).ConfigureAwait(false);
                if (firstChar is '{' or '[') return await JsonAsync(path, input.Format, firstChar == '[', ct).ConfigureAwait(false);
                throw new DataFormatException(path, firstChar is null
                    ? $"{path}: the file is empty, so its format cannot be told; set its format or remove it."
                    : $"{path}: cannot tell the format from the extension '{extension}' and the content ({found}); set format to one of {DataFormats.Allowed}.");
            default:
                if (isParquet || firstChar is not ('{' or '[') && firstChar is not null)
                    throw Mismatch(path, input.Format, $"JSON Lines or a JSON array of records with {RecordMappers.For(input.Format).ExpectedShape}", found);
                return await JsonAsync(path, input.Format, firstChar == '[', ct).ConfigureAwait(false);
        }
    }

    private static DataFormatException Mismatch(string path, DataFormat configured, string expected, string found) =>
        new(path, $"{path}: the format is configured as '{DataFormats.Name(configured)}', which expects {expected}, but the file is {found}.");

    private static async Task<(bool IsParquet, char? FirstChar, string Head)> SniffAsync(string path, CancellationToken ct)
    {
        var stream = StreamBuffer.OpenRead(path);
        await using var streamScope = stream.ConfigureAwait(false);
        var bytes = new byte[4096];
        int read = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        var span = bytes.AsSpan(0, read);
        if (span.StartsWith("PAR1"u8)) return (true, null, "PAR1");
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        var text = Encoding.UTF8.GetString(span).TrimStart();
        string head = text.Length > 40 ? text[..40] : text;
        head = head.Split('\n')[0].TrimEnd('\r');
        return (false, text.Length == 0 ? null : text[0], head);
    }

    private static async Task<DetectedFormat> TableAsync(string path, DataContainer container, CancellationToken ct)
    {
        IReadOnlyList<string> columns = container == DataContainer.Csv
            ? (await CsvReader.ReadHeaderAsync(path, ct).ConfigureAwait(false))?.Columns ?? throw new DataFormatException(path, $"{path}: the CSV file is empty; expected a header row with columns {TableLayouts}.")
            : await ParquetDatasetReader.ReadColumnsAsync(path, ct).ConfigureAwait(false);
        var duplicate = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DataFormatException(path, $"{path}: the column '{duplicate.Key}' appears more than once.");
        var format = RecordMappers.Detect(columns)
            ?? throw new DataFormatException(path, $"{path}: the columns [{string.Join(", ", columns)}] match no known layout; expected {TableLayouts}.");
        return new DetectedFormat(format, container);
    }

    private static async Task<DetectedFormat> JsonAsync(string path, DataFormat configured, bool isArray, CancellationToken ct)
    {
        var container = isArray ? DataContainer.JsonArray : DataContainer.JsonLines;
        var source = isArray ? JsonArraySource.ReadAsync(path, ReadPosition.Start, ct) : JsonLinesSource.ReadAsync(path, ReadPosition.Start, ct);
        int probed = 0;
        await foreach (var raw in source.ConfigureAwait(false))
        {
            if (++probed > RecordsToProbe) break;
            if (raw.SyntaxError is not null) continue;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(raw.Json);
            }
            catch (JsonException)
            {
                continue;
            }
            using (document)
            {
                var record = document.RootElement;
                if (record.ValueKind != JsonValueKind.Object) continue;
                var looksLike = RecordMappers.Detect(record);
                if (configured == DataFormat.Auto)
                {
                    return new DetectedFormat(looksLike ?? throw new DataFormatException(path,
                        $"{path}: cannot tell the record format from the first record (line {raw.Line}, keys: {JsonFields.KeyList(record)}); expected one of {RecordMappers.KnownShapes}, or set the format."), container);
                }
                var mapper = RecordMappers.For(configured);
                if (!mapper.Recognizes(record))
                {
                    string guess = looksLike is { } other ? $", which looks like '{DataFormats.Name(other)}'" : "";
                    throw new DataFormatException(path,
                        $"{path}: the format is configured as '{DataFormats.Name(configured)}', which expects records with {mapper.ExpectedShape}, " +
                        $"but the first record (line {raw.Line}) has keys {JsonFields.KeyList(record)}{guess}.");
                }
                return new DetectedFormat(configured, container);
            }
        }
        if (configured == DataFormat.Auto)
        {
            throw new DataFormatException(path, probed == 0
                ? $"{path}: the file has no records, so its format cannot be told; set its format or remove it."
                : $"{path}: none of the first {Math.Min(probed, RecordsToProbe)} records is a well-formed JSON object, so the format cannot be told; " +
                  "expected one JSON object per line (JSON Lines) or a JSON array of objects.");
        }
        // A configured format with no readable record yet: every record will be reported as a bad row.
        return new DetectedFormat(configured, container);
    }
}
