namespace Pipeline.Data.Readers;

/// <summary>One input file and its configured format (<see cref="DataFormat.Auto"/>: told from the extension and the first record).</summary>
public sealed record DatasetInput(string Path, DataFormat Format = DataFormat.Auto);
