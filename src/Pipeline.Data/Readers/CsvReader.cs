using System.Runtime.CompilerServices;

namespace Pipeline.Data.Readers;

/// <summary>
/// CSV files with a header row. The columns say the record format (see <see cref="RecordMappers.Detect(IReadOnlyCollection{string})"/>);
/// each record becomes a JSON object of its columns and goes through that format's mapper. A record's line is its
/// first physical line (quoted fields may span several).
/// </summary>
internal static class CsvReader
{
    public sealed record Header(IReadOnlyList<string> Columns, long EndOffset, long NextLine);

    public static async Task<Header?> ReadHeaderAsync(string path, CancellationToken ct)
    {
        var stream = StreamBuffer.OpenRead(path);
        await using var streamScope = stream.ConfigureAwait(false);
        var buffer = new StreamBuffer(stream, 0, path);
        await buffer.SkipByteOrderMarkAsync(ct).ConfigureAwait(false);
        long line = 1;
        await foreach (var (record, recordLine, nextLine) in Records(buffer, line, ct).ConfigureAwait(false))
        {
            if (Utf8Check.Check(path, recordLine, record.Span) is { } encoding)
                throw new DataFormatException(path, $"{path}: the CSV header on line {encoding.Line} is {encoding.Detail}.");
            var fields = new List<string>();
            if (!CsvTokenizer.TryParseFields(record.Span, fields, out var error))
                throw new DataFormatException(path, $"{path}: the CSV header on line {recordLine} is malformed: {error}.");
            return new Header(fields.Select(f => f.Trim().ToLowerInvariant()).ToList(), buffer.Position, nextLine);
        }
        return null;
    }

    public static async IAsyncEnumerable<ReadResult> ReadAsync(string path, IRecordMapper mapper, ReadPosition from, [EnumeratorCancellation] CancellationToken ct)
    {
        var header = await ReadHeaderAsync(path, ct).ConfigureAwait(false)
            ?? throw new DataFormatException(path, $"{path}: the CSV file is empty; expected a header row.");
        var start = from.IsStart ? new ReadPosition(0, header.EndOffset, header.NextLine) : from;
        var stream = StreamBuffer.OpenRead(path);
        await using var streamScope = stream.ConfigureAwait(false);
        stream.Seek(start.ByteOffset, SeekOrigin.Begin);
        var buffer = new StreamBuffer(stream, start.ByteOffset, path);
        long records = start.Records;
        var fields = new List<string>();
        await foreach (var (record, recordLine, nextLine) in Records(buffer, start.Line, ct).ConfigureAwait(false))
        {
            records++;
            var next = new ReadPosition(records, buffer.Position, nextLine);
            if (Utf8Check.Check(path, recordLine, record.Span) is { } encoding)
            {
                yield return ReadResult.Bad(encoding, next);
                continue;
            }
            if (!CsvTokenizer.TryParseFields(record.Span, fields, out var error))
            {
                yield return ReadResult.Bad(new RowError(path, recordLine, RowErrorReasons.InvalidCsv, error!), next);
                continue;
            }
            if (fields.Count != header.Columns.Count)
            {
                yield return ReadResult.Bad(new RowError(path, recordLine, RowErrorReasons.ColumnCount,
                    $"the record has {fields.Count} fields but the header has {header.Columns.Count} columns"), next);
                continue;
            }
            yield return TabularRecord.Map(path, recordLine, header.Columns, fields, mapper, next);
        }
    }

    /// <summary>Each non-blank record's bytes (without its line terminator), its first line and the line after it.</summary>
    private static async IAsyncEnumerable<(ReadOnlyMemory<byte> Record, long Line, long NextLine)> Records(
        StreamBuffer buffer, long line, [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            int length = CsvTokenizer.FindRecordEnd(buffer.Span, buffer.EndOfStream);
            if (length < 0 || (length == 0 && !buffer.EndOfStream))
            {
                if (!await buffer.FillAsync(ct).ConfigureAwait(false)) length = CsvTokenizer.FindRecordEnd(buffer.Span, isFinalBlock: true);
                else continue;
            }
            if (length == 0) yield break;
            var record = buffer.Memory[..length];
            long recordLine = line;
            line += record.Span.Count((byte)'\n');
            buffer.Consume(length);
            if (record.Span.EndsWith("\n"u8)) record = record[..^1];
            if (record.Span.EndsWith("\r"u8)) record = record[..^1];
            if (record.IsEmpty) continue;
            yield return (record, recordLine, line);
        }
    }
}
