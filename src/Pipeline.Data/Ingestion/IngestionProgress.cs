namespace Pipeline.Data.Ingestion;

/// <summary>Where a run is: bytes read of all inputs (the progress bar), and the rows so far.</summary>
public sealed record IngestionProgress(
    long BytesRead,
    long TotalBytes,
    int InputIndex,
    string InputPath,
    long RowsRead,
    long TrainRows,
    long ValidationRows)
{
    public double Fraction => TotalBytes == 0 ? 1 : Math.Clamp((double)BytesRead / TotalBytes, 0, 1);
}
