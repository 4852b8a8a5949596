namespace Pipeline.Data;

/// <summary>
/// The one conversation schema every stage reads. A supervised example is a conversation in <see cref="Messages"/>;
/// a preference pair is a prompt conversation in <see cref="Messages"/> plus the preferred (<see cref="Chosen"/>)
/// and dispreferred (<see cref="Rejected"/>) assistant replies to it.
/// </summary>
public sealed record Example
{
    /// <summary>The source's id when it has one, otherwise derived from the content hash (stable across runs).</summary>
    public required string Id { get; init; }

    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public string? Chosen { get; init; }

    public string? Rejected { get; init; }

    /// <summary>File and line of the source record. Not written to shards; only the data card cites it.</summary>
    public SourceLocation? Source { get; init; }

    /// <summary>
    /// Where a generated row came from; null for an organic row. Written to shards as <c>"synthetic":true</c> and
    /// <c>"provenance":{...}</c>; datasets written before it existed read back with none.
    /// </summary>
    public ExampleProvenance? Provenance { get; init; }

    public bool IsPreferencePair => Chosen is not null && Rejected is not null;

    public bool IsSynthetic => Provenance is not null;
}

/// <summary>A synthetic row's origin: the model that wrote it and the settings it wrote with (name → value, as text).</summary>
public sealed record ExampleProvenance(string Generator, IReadOnlyDictionary<string, string> Settings);
