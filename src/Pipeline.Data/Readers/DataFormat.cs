namespace Pipeline.Data.Readers;

/// <summary>
/// The input format named in a run's config. The four record formats (alpaca, sharegpt, openai, preference) are JSON
/// Lines or a JSON array; csv and parquet are tables whose columns say which record format each row is.
/// </summary>
public enum DataFormat
{
    Auto,
    Alpaca,
    ShareGpt,
    OpenAi,
    Csv,
    Parquet,
    Preference,
}

public static class DataFormats
{
    public static string Name(DataFormat format) => format switch
    {
        DataFormat.Auto => "auto",
        DataFormat.Alpaca => "alpaca",
        DataFormat.ShareGpt => "sharegpt",
        DataFormat.OpenAi => "openai",
        DataFormat.Csv => "csv",
        DataFormat.Parquet => "parquet",
        DataFormat.Preference => "preference",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public const string Allowed = "auto, alpaca, sharegpt, openai, csv, parquet, preference";

    /// <summary>Parses a config value (case-insensitive). Throws naming the value and the allowed names.</summary>
    public static DataFormat Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "auto" or "" => DataFormat.Auto,
        "alpaca" => DataFormat.Alpaca,
        "sharegpt" => DataFormat.ShareGpt,
        "openai" => DataFormat.OpenAi,
        "csv" => DataFormat.Csv,
        "parquet" => DataFormat.Parquet,
        "preference" => DataFormat.Preference,
        _ => throw new ArgumentException($"Unknown data format '{value}'; allowed: {Allowed}.", nameof(value)),
    };

    /// <summary>True for the formats whose records are JSON objects (JSON Lines or a JSON array).</summary>
    public static bool IsJsonRecordFormat(DataFormat format) =>
        format is DataFormat.Alpaca or DataFormat.ShareGpt or DataFormat.OpenAi or DataFormat.Preference;
}
