namespace Pipeline.Data.Readers;

/// <summary>How a file is laid out on disk.</summary>
public enum DataContainer
{
    JsonLines,
    JsonArray,
    Csv,
    Parquet,
}

/// <summary>What a file turned out to be: the record format of its rows and the container holding them.</summary>
public sealed record DetectedFormat(DataFormat RecordFormat, DataContainer Container)
{
    /// <summary>"alpaca (JSON Lines)", "preference (CSV columns)", for the data card.</summary>
    public string Describe() => $"{DataFormats.Name(RecordFormat)} ({Container switch
    {
        DataContainer.JsonLines => "JSON Lines",
        DataContainer.JsonArray => "JSON array",
        DataContainer.Csv => "CSV columns",
        _ => "Parquet columns",
    }})";
}
