using System.Text;

namespace Pipeline.Data.Readers;

/// <summary>
/// Finds the first byte that is not valid UTF-8 in a record, so a file saved in Latin-1 or Windows-1252 is reported
/// as a bad row at its line and column instead of failing deep inside the JSON reader (which would name neither).
/// The choice: each record is judged on its own (a file may be UTF-8 with a few pasted Latin-1 lines), so an
/// undecodable record is a counted bad row and the rest of the file is read. A file none of whose records decode
/// keeps no rows, and an ingest that keeps no rows fails with its top reasons (<c>EmptyDatasetReport</c>), so the
/// stage then fails with this same text. A CSV header that does not decode fails the file at once: without its
/// columns no record can be read.
/// </summary>
internal static class Utf8Check
{
    /// <summary>Null when the bytes are valid UTF-8; else the bad row, at the line of the offending byte.</summary>
    public static RowError? Check(string path, long recordLine, ReadOnlySpan<byte> record)
    {
        if (System.Text.Unicode.Utf8.IsValid(record)) return null;
        int offset = 0;
        while (offset < record.Length)
        {
            var status = Rune.DecodeFromUtf8(record[offset..], out _, out int consumed);
            if (status != System.Buffers.OperationStatus.Done) break;
            offset += consumed;
        }
        var before = record[..offset];
        int lastNewline = before.LastIndexOf((byte)'\n');
        long line = recordLine + before.Count((byte)'\n');
        // Columns count characters, as an editor does: the valid UTF-8 before the bad byte decodes cleanly.
        int column = Encoding.UTF8.GetCharCount(before[(lastNewline + 1)..]) + 1;
        return new RowError(path, line, RowErrorReasons.InvalidUtf8, Describe(record[offset], column));
    }

    public static string Describe(byte value, int column) =>
        $"not valid UTF-8 (byte 0x{value:X2} at column {column}); save the file as UTF-8";
}
