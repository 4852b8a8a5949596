using Pipeline.Data.Readers;

namespace Pipeline.Data.Ingestion.ShardMerge;

/// <summary>
/// The input of one shard: a local file in the given format (detected on the whole input, not on the shard), the
/// input's name as people know it, and the line of the whole input at which the file starts.
/// </summary>
public sealed record ShardSource(string Path, DetectedFormat Format, string InputName, long FirstLine = 1)
{
    /// <summary>Where reading starts: the file's first byte, numbered as its line in the whole input.</summary>
    public ReadPosition Start => new(0, 0, FirstLine);
}
