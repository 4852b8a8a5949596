using System.Text;

namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>
/// Single-pass near-duplicate removal for a stream that must decide on each document as it
/// arrives (ingestion): the first document of a cluster is kept and indexed in the LSH bands;
/// a later one whose signature agrees with an indexed one on at least the threshold fraction of
/// positions is a duplicate of it. Unlike <see cref="NearDuplicateDetector.FindClusters"/>, which
/// keeps the longest, this keeps the earliest. Memory: 8 bytes × Permutations per kept document
/// (1 KiB at the default 128), so use the two-pass detector for corpora beyond a few million.
/// Not thread-safe: one index per stream. <see cref="Save"/>/<see cref="Restore"/> let a resumed
/// run decide as an uninterrupted one would.
/// </summary>
public sealed class StreamingNearDuplicateIndex
{
    private const uint Magic = 0x5844444E; // "NDDX"
    private const int Version = 1;

    private readonly List<string> ids = [];
    private readonly List<ulong[]> signatures = [];
    private readonly List<int> clusterSizes = [];
    private readonly Dictionary<ulong, List<int>>[] buckets;

    public StreamingNearDuplicateIndex(NearDuplicateOptions? options = null)
    {
        Options = (options ?? new NearDuplicateOptions()).Validate();
        buckets = [.. Enumerable.Range(0, Options.Bands).Select(_ => new Dictionary<ulong, List<int>>())];
    }

    public NearDuplicateOptions Options { get; }

    /// <summary>Documents kept (indexed) so far.</summary>
    public int Count => ids.Count;

    /// <summary>Sizes of the clusters that have at least one dropped duplicate (kept document included).</summary>
    public IReadOnlyList<int> ClusterSizes => [.. clusterSizes.Where(s => s > 1)];

    /// <summary>
    /// Null when the document is new (it is then indexed under <paramref name="id"/>), otherwise
    /// the id of the kept document it duplicates. Empty signatures are never duplicates and never indexed.
    /// </summary>
    public string? AddOrFindDuplicate(string id, ulong[] signature)
    {
        if (signature.Length != Options.Permutations)
            throw new ArgumentException($"Document \"{id}\" has a signature of {signature.Length} values; the index expects {Options.Permutations} (NearDuplicateOptions.Permutations).");
        if (MinHashSignature.IsEmpty(signature))
            return null;

        var keys = new ulong[Options.Bands];
        var checkedEntries = new HashSet<int>();
        for (var band = 0; band < Options.Bands; band++)
        {
            keys[band] = LshBanding.BandKey(signature, band, Options.Rows);
            if (!buckets[band].TryGetValue(keys[band], out var entries))
                continue;
            foreach (var entry in entries)
            {
                if (checkedEntries.Add(entry) && MinHashSignature.EstimateJaccard(signature, this.signatures[entry]) >= Options.Threshold)
                {
                    clusterSizes[entry]++;
                    return ids[entry];
                }
            }
        }
        Index(id, signature, clusterSize: 1, keys);
        return null;
    }

    private void Index(string id, ulong[] signature, int clusterSize, ulong[]? keys = null)
    {
        var entry = ids.Count;
        ids.Add(id);
        this.signatures.Add(signature);
        clusterSizes.Add(clusterSize);
        for (var band = 0; band < Options.Bands; band++)
        {
            var key = keys?[band] ?? LshBanding.BandKey(signature, band, Options.Rows);
            if (!buckets[band].TryGetValue(key, out var entries))
                buckets[band][key] = entries = [];
            entries.Add(entry);
        }
    }

    /// <summary>
    /// The index as bytes: magic, version, the options it was built with, then per kept document its
    /// id (UTF-8, length-prefixed), cluster size and signature, all little-endian.
    /// </summary>
    public byte[] Save()
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(OptionsFingerprint(Options));
        writer.Write(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            writer.Write(ids[i]);
            writer.Write(clusterSizes[i]);
            foreach (var value in this.signatures[i])
                writer.Write(value);
        }
        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>Rebuilds an index saved by <see cref="Save"/>; the options must be the ones it was saved with.</summary>
    public static StreamingNearDuplicateIndex Restore(ReadOnlySpan<byte> state, NearDuplicateOptions? options = null)
    {
        var index = new StreamingNearDuplicateIndex(options);
        using var reader = new BinaryReader(new MemoryStream(state.ToArray()), Encoding.UTF8);
        try
        {
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Version)
                throw new InvalidDataException("The saved near-duplicate index is not in format NDDX version 1.");
            var saved = reader.ReadString();
            var current = OptionsFingerprint(index.Options);
            if (saved != current)
                throw new InvalidDataException($"The saved near-duplicate index was built with options {saved}; this run has {current}. Resume with the same NearDuplicateOptions or start over.");
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var id = reader.ReadString();
                var clusterSize = reader.ReadInt32();
                var signature = new ulong[index.Options.Permutations];
                for (var p = 0; p < signature.Length; p++)
                    signature[p] = reader.ReadUInt64();
                index.Index(id, signature, clusterSize);
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                throw new InvalidDataException($"The saved near-duplicate index has {reader.BaseStream.Length - reader.BaseStream.Position} bytes after its last entry.");
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"The saved near-duplicate index is truncated ({state.Length} bytes).");
        }
        return index;
    }

    private static string OptionsFingerprint(NearDuplicateOptions o) =>
        FormattableString.Invariant($"unit={o.Unit} shingle={o.ShingleSize} permutations={o.Permutations} bands={o.Bands} rows={o.Rows} threshold={o.Threshold:R} seed={o.Seed}");
}
