using System.Text.Json.Serialization;
using Pipeline.Data.Cards;
using Pipeline.Data.Readers;

namespace Pipeline.Data.Ingestion;

/// <summary>
/// Everything needed to continue an ingestion run after its last completed shards: which input and where in it,
/// how many shards each split has written, the data card so far, the exact-dedup hash set and the state of stateful
/// filters. Persist it with <see cref="IngestionCheckpointSerializer"/>.
/// </summary>
public sealed record IngestionCheckpoint
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary><see cref="IngestionOptions.Fingerprint"/> of the run that wrote it.</summary>
    public required string OptionsFingerprint { get; init; }

    /// <summary>The input being read; equal to the number of inputs once all are read.</summary>
    public required int InputIndex { get; init; }

    /// <summary>The position in that input after the last record whose output is in a completed shard.</summary>
    public required ReadPosition Position { get; init; }

    public required int TrainShards { get; init; }

    public required int ValidationShards { get; init; }

    public required DataCard Card { get; init; }

    /// <summary>The exact-dedup set, 16 bytes per hash (stored raw by the serializer, not in its JSON).</summary>
    [JsonIgnore]
    public byte[] SeenHashes { get; init; } = [];

    public IReadOnlyDictionary<string, byte[]> FilterStates { get; init; } = new Dictionary<string, byte[]>();
}
