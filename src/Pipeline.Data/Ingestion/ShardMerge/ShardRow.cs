using System.Buffers;
using Pipeline.Data.Cards;
using Pipeline.Data.Filters;

namespace Pipeline.Data.Ingestion.ShardMerge;

/// <summary>
/// One example a shard passes on to the merge: its shard line exactly as the dataset will hold it (the merge copies
/// the bytes), and what the merge decides on without reading the text again: the content hash (exact duplicates,
/// and, for non-preference rows, the split), the key the split hashes (<see cref="ExampleHasher.SplitKey"/>), the signatures of the deferred filters (near-duplicates), the lengths (the card's histograms), the
/// id and the line it came from (what a drop cites).
/// </summary>
public sealed record ShardRow(
    string Id,
    long Line,
    UInt128 Hash,
    UInt128 SplitKey,
    long Characters,
    long Tokens,
    ReadOnlyMemory<byte> Json,
    IReadOnlyList<ulong[]> Signatures)
{
    /// <summary>Everything the merge needs of a kept example; pure, so shards compute it on every core.</summary>
    public static ShardRow From(Example kept, long line, IReadOnlyList<ISignatureExampleFilter> deferred)
    {
        var json = new ArrayBufferWriter<byte>();
        ExampleJson.WriteLine(json, kept);
        var (characters, tokens) = DataCard.KeptLengths(kept);
        return new ShardRow(kept.Id, line, ExampleHasher.ContentHash(kept), ExampleHasher.SplitKey(kept), characters, tokens, json.WrittenMemory,
            [.. deferred.Select(f => f.Sign(kept))]);
    }
}
