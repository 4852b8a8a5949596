using System.Runtime.CompilerServices;

namespace Pipeline.Data.Readers;

/// <summary>
/// Reads any supported input as a stream of <see cref="ReadResult"/>s (examples and bad rows), never holding more
/// than one record (one row group for Parquet), and continues from a <see cref="ReadPosition"/> when given one.
/// </summary>
public static class DatasetReader
{
    /// <summary>Detects the format (throws <see cref="DataFormatException"/> on a mismatch), then reads.</summary>
    public static async IAsyncEnumerable<ReadResult> ReadAsync(DatasetInput input, ReadPosition? from = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var format = await FormatDetector.DetectAsync(input, ct).ConfigureAwait(false);
        await foreach (var result in ReadAsync(input.Path, format, from, ct).ConfigureAwait(false)) yield return result;
    }

    public static IAsyncEnumerable<ReadResult> ReadAsync(string path, DetectedFormat format, ReadPosition? from = null, CancellationToken ct = default)
    {
        var position = from ?? ReadPosition.Start;
        var mapper = RecordMappers.For(format.RecordFormat);
        return format.Container switch
        {
            DataContainer.Csv => CsvReader.ReadAsync(path, mapper, position, ct),
            DataContainer.Parquet => ParquetDatasetReader.ReadAsync(path, mapper, position, ct),
            DataContainer.JsonArray => JsonRecordsAsync(path, JsonArraySource.ReadAsync(path, position, ct), mapper),
            _ => JsonRecordsAsync(path, JsonLinesSource.ReadAsync(path, position, ct), mapper),
        };
    }

    private static async IAsyncEnumerable<ReadResult> JsonRecordsAsync(string path, IAsyncEnumerable<RawRecord> records, IRecordMapper mapper)
    {
        await foreach (var raw in records.ConfigureAwait(false))
        {
            yield return raw.SyntaxError is not null
                ? ReadResult.Bad(new RowError(path, raw.Line, RowErrorReasons.InvalidJson, raw.SyntaxError), raw.Next)
                : JsonRecord.Map(path, raw, mapper);
        }
    }
}
