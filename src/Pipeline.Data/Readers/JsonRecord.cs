using System.Text.Json;

namespace Pipeline.Data.Readers;

internal static class JsonRecord
{
    /// <summary>Parses one record's bytes and maps them; any failure becomes a <see cref="RowError"/> at the record's line.</summary>
    public static ReadResult Map(string path, RawRecord raw, IRecordMapper mapper)
    {
        if (Utf8Check.Check(path, raw.Line, raw.Json.Span) is { } encoding) return ReadResult.Bad(encoding, raw.Next);
        try
        {
            using var document = JsonDocument.Parse(raw.Json);
            return ReadResult.Ok(mapper.Map(document.RootElement, new SourceLocation(path, raw.Line)), raw.Next);
        }
        catch (JsonException exception)
        {
            return ReadResult.Bad(new RowError(path, raw.Line, RowErrorReasons.InvalidJson, JsonErrors.Describe(exception, raw.Line)), raw.Next);
        }
        catch (InvalidRowException exception)
        {
            return ReadResult.Bad(new RowError(path, raw.Line, exception.Reason, exception.Message), raw.Next);
        }
    }
}
