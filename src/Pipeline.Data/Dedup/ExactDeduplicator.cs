using System.Buffers.Binary;

namespace Pipeline.Data.Dedup;

/// <summary>
/// Exact de-duplication on the 128-bit content hash of the normalized conversation: the first occurrence is kept.
/// Only the 16-byte hashes are held, so millions of rows fit in tens of megabytes; the set is exported into
/// checkpoints so a resumed run keeps dropping the duplicates of rows it saw before the crash.
/// </summary>
public sealed class ExactDeduplicator
{
    public const string DropReason = "duplicate";

    private readonly HashSet<UInt128> seen;

    public ExactDeduplicator() => seen = [];

    private ExactDeduplicator(HashSet<UInt128> seen) => this.seen = seen;

    public int Count => seen.Count;

    /// <summary>True the first time a hash is offered (keep the example), false for every later offer (a duplicate).</summary>
    public bool TryAdd(UInt128 contentHash) => seen.Add(contentHash);

    public bool Contains(UInt128 contentHash) => seen.Contains(contentHash);

    /// <summary>The set as 16 big-endian bytes per hash, in ascending order (so equal sets export identical bytes).</summary>
    public byte[] Export()
    {
        var hashes = seen.ToArray();
        Array.Sort(hashes);
        var bytes = new byte[hashes.Length * 16];
        for (int i = 0; i < hashes.Length; i++) BinaryPrimitives.WriteUInt128BigEndian(bytes.AsSpan(i * 16, 16), hashes[i]);
        return bytes;
    }

    public static ExactDeduplicator Import(ReadOnlySpan<byte> exported)
    {
        if (exported.Length % 16 != 0)
            throw new ArgumentException($"An exported hash set is a multiple of 16 bytes; got {exported.Length}.", nameof(exported));
        var set = new HashSet<UInt128>(exported.Length / 16);
        for (int i = 0; i < exported.Length; i += 16) set.Add(BinaryPrimitives.ReadUInt128BigEndian(exported.Slice(i, 16)));
        return new ExactDeduplicator(set);
    }
}
