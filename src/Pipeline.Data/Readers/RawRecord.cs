namespace Pipeline.Data.Readers;

/// <summary>One JSON record's bytes before parsing, or the syntax error that made it unreadable.</summary>
internal readonly record struct RawRecord(ReadOnlyMemory<byte> Json, long Line, ReadPosition Next, string? SyntaxError = null);
