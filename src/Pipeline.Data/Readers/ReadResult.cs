namespace Pipeline.Data.Readers;

/// <summary>
/// One record read from a file: either an <see cref="Example"/> or a <see cref="RowError"/>, plus the position after
/// it (hand that to a later read to continue with the next record).
/// </summary>
public sealed record ReadResult
{
    private ReadResult(Example? example, RowError? error, ReadPosition next)
    {
        Example = example;
        Error = error;
        Next = next;
    }

    public Example? Example { get; }

    public RowError? Error { get; }

    public ReadPosition Next { get; }

    public static ReadResult Ok(Example example, ReadPosition next) => new(example, null, next);

    public static ReadResult Bad(RowError error, ReadPosition next) => new(null, error, next);
}
