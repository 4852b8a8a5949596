namespace Pipeline.Configuration.Validation;

/// <summary>
/// The key must be written in the config: there is no sensible default (a file to read, the stages to
/// run). A required string must also not be empty.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute
{
    /// <summary>What to write, appended to the error, e.g. "the JSONL, CSV or Parquet file to read".</summary>
    public string? Hint { get; set; }
}
