using Pipeline.Configuration.Validation;
using YamlDotNet.Serialization;

namespace Pipeline.Configuration.Ingest;

/// <summary>One source file (or folder of files) for the ingest stage.</summary>
public sealed record IngestInput
{
    /// <summary>
    /// A local file or folder (JSONL, JSON, CSV or Parquet). Required. Relative paths are read from the
    /// working directory of the process that runs ingestion.
    /// </summary>
    [Required(Hint = "the file or folder to read, e.g. data/support.jsonl")]
    public string Path { get; init; } = "";

    /// <summary>
    /// How rows are laid out. Default auto: detected from the file extension and the first rows' keys,
    /// which is right for the common layouts; name the format when detection guesses wrong.
    /// </summary>
    public InputFormat Format { get; init; } = InputFormat.Auto;
}

/// <summary>Row layouts the ingest stage reads.</summary>
public enum InputFormat
{
    /// <summary>Detect from the extension and the first rows.</summary>
    Auto,
    /// <summary>instruction / input / output.</summary>
    Alpaca,
    /// <summary>conversations: [{from, value}].</summary>
    [YamlMember(Alias = "sharegpt")] ShareGpt,
    /// <summary>messages: [{role, content}].</summary>
    [YamlMember(Alias = "openai")] OpenAi,
    /// <summary>Comma-separated with a header row naming the columns.</summary>
    Csv,
    /// <summary>Apache Parquet with the same column names as the JSON layouts.</summary>
    Parquet,
    /// <summary>prompt / chosen / rejected pairs, for the reward model and DPO.</summary>
    Preference,
}
