namespace Pipeline.Data;

/// <summary>
/// Where an example came from: the input file as configured, and its 1-based line (JSON Lines, JSON arrays: the line
/// where the element starts, CSV: the record's first line) or row (Parquet).
/// </summary>
public sealed record SourceLocation(string File, long Line)
{
    public override string ToString() => $"{File}:{Line}";
}
