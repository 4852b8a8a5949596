namespace Pipeline.Data.Readers;

/// <summary>
/// One input file and its configured format (<see cref="DataFormat.Auto"/>: told from the extension and the first
/// record). <paramref name="DisplayName"/> is how people know the file (the name it was submitted under) when
/// <paramref name="Path"/> is a local copy; the data card, row errors and checkpoints use it.
/// </summary>
public sealed record DatasetInput(string Path, DataFormat Format = DataFormat.Auto, string? DisplayName = null)
{
    /// <summary>The name reported to people: <see cref="DisplayName"/>, or the path itself.</summary>
    public string Name => DisplayName ?? Path;
}
