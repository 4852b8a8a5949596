using System.Text.Json;

namespace Pipeline.Data.Readers;

internal static class JsonErrors
{
    /// <summary>
    /// "'x' is an invalid start of a value (line 3, column 12)": the reader's message without its 0-based position
    /// suffix, with the position made absolute (the record started on <paramref name="recordLine"/>).
    /// </summary>
    public static string Describe(JsonException exception, long recordLine)
    {
        string message = exception.Message;
        int suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (suffix >= 0) message = message[..suffix];
        message = message.TrimEnd().TrimEnd('.');
        long line = recordLine + (exception.LineNumber ?? 0);
        return exception.BytePositionInLine is { } column
            ? $"invalid JSON: {message} (line {line}, column {column + 1})"
            : $"invalid JSON: {message} (line {line})";
    }
}
