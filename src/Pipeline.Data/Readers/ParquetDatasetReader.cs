using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Serialization;

namespace Pipeline.Data.Readers;

/// <summary>
/// Parquet files, one row group in memory at a time. The top-level columns follow the CSV conventions; a
/// <c>messages</c>/<c>conversations</c> column may be a list of structs (as Hugging Face datasets write it) or JSON text.
/// A row's line number is its 1-based row index in the file.
/// </summary>
internal static class ParquetDatasetReader
{
    public static async Task<IReadOnlyList<string>> ReadColumnsAsync(string path, CancellationToken ct)
    {
        var reader = await ParquetReader.CreateAsync(path, null, ct).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return reader.Schema.Fields.Select(f => f.Name.ToLowerInvariant()).ToList();
    }

    public static async IAsyncEnumerable<ReadResult> ReadAsync(string path, IRecordMapper mapper, ReadPosition from, [EnumeratorCancellation] CancellationToken ct)
    {
        var stream = StreamBuffer.OpenRead(path);
        await using var streamScope = stream.ConfigureAwait(false);
        long fileBytes = stream.Length;
        var rowGroupSizes = new List<long>();
        long totalRows;
        {
            var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                for (int g = 0; g < reader.RowGroupCount; g++) rowGroupSizes.Add(reader.OpenRowGroupReader(g).RowCount);
                totalRows = rowGroupSizes.Sum();
            }
        }

        long firstRow = 0;
        for (int group = 0; group < rowGroupSizes.Count; group++)
        {
            long groupEnd = firstRow + rowGroupSizes[group];
            if (groupEnd <= from.Records)
            {
                firstRow = groupEnd;
                continue; // already consumed before the resume point: skip without decoding
            }
            stream.Position = 0;
            var rows = await ParquetSerializer.DeserializeUntypedAsync(stream, null, group, ct).ConfigureAwait(false);
            var columns = rows.Schema.Fields.Select(f => f.Name).ToList();
            var values = new object?[columns.Count];
            for (int i = (int)Math.Max(0, from.Records - firstRow); i < rows.Data.Count; i++)
            {
                var row = rows.Data[i];
                for (int c = 0; c < columns.Count; c++) values[c] = row.TryGetValue(columns[c], out var v) ? v : null;
                long rowNumber = firstRow + i + 1;
                // Parquet positions continue by row count; the byte offset is a proportional estimate for progress.
                var next = new ReadPosition(rowNumber, totalRows == 0 ? 0 : fileBytes * rowNumber / totalRows, rowNumber + 1);
                yield return TabularRecord.Map(path, rowNumber, columns, values, mapper, next);
            }
            firstRow = groupEnd;
        }
    }
}
