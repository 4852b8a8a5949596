namespace Pipeline.Data.Readers;

/// <summary>
/// How far a reader got in one file, so a read can continue there. <see cref="Records"/> counts records consumed
/// (rows, good or bad). <see cref="ByteOffset"/> is where the next record starts (JSON Lines, CSV) or where the last
/// array element ended (JSON array), and <see cref="Line"/> is the 1-based line at that offset. For Parquet only
/// <see cref="Records"/> is used to continue; <see cref="ByteOffset"/> is an estimate for progress.
/// </summary>
public sealed record ReadPosition(long Records, long ByteOffset, long Line)
{
    public static ReadPosition Start { get; } = new(0, 0, 1);

    public bool IsStart => Records == 0 && ByteOffset == 0;
}
