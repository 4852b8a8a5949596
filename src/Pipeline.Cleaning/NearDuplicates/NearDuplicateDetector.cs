namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>
/// Near-duplicate detection in two passes, so that it scales past one machine's memory:
/// <list type="number">
/// <item><see cref="ComputeSignature"/> per document, anywhere, in parallel, shard by shard
/// (the detector is immutable and thread-safe);</item>
/// <item><see cref="FindClusters"/> once over all signatures: LSH buckets propose candidate
/// pairs, the signature Jaccard estimate verifies them, union-find joins verified pairs into
/// clusters (single linkage), and each cluster keeps its longest document (ties: smallest id,
/// ordinal) so the result does not depend on input order.</item>
/// </list>
/// </summary>
public sealed class NearDuplicateDetector
{
    private readonly MinHashSignature minHash;

    public NearDuplicateDetector(NearDuplicateOptions? options = null)
    {
        Options = (options ?? new NearDuplicateOptions()).Validate();
        minHash = new MinHashSignature(Options.Permutations, Options.Seed);
    }

    public NearDuplicateOptions Options { get; }

    /// <summary>The MinHash signature of a text; all values are <see cref="MinHashSignature.EmptyValue"/> for a text without letters or digits.</summary>
    public ulong[] ComputeSignature(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return minHash.Compute(Shingler.ShingleHashes(text, Options.Unit, Options.ShingleSize));
    }

    /// <summary>
    /// The MinHash signature of several texts as one document (an example's turns): the union of each text's own
    /// shingles. No shingle spans two texts, so a word appended to the end of one turn adds one shingle instead of
    /// breaking the <c>size − 1</c> shingles that would otherwise run across into the next turn; in a short message
    /// that difference decides whether "… Regards, Anna" and "… Regards, Anna. Thanks!" are near-duplicates.
    /// </summary>
    public ulong[] ComputeSignature(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var shingles = new List<ulong>();
        foreach (var text in texts)
            shingles.AddRange(Shingler.ShingleHashes(text ?? throw new ArgumentException("A text is null.", nameof(texts)), Options.Unit, Options.ShingleSize));
        return minHash.Compute(shingles);
    }

    public DocumentSignature Sign(string id, string text) => new(id, text.Length, ComputeSignature(text));

    /// <summary>
    /// Clusters near-duplicates among <paramref name="documents"/>. Documents with an empty
    /// signature (no words) are never clustered: they have no content to compare, and the
    /// empty-response filter is the one that removes them.
    /// </summary>
    public NearDuplicateResult FindClusters(IEnumerable<DocumentSignature> documents)
    {
        var docs = CollectValid(documents);
        var sets = new UnionFind(docs.Count);
        long candidatePairs = 0, verifiedPairs = 0;

        for (var band = 0; band < Options.Bands; band++)
        {
            foreach (var bucket in Bucket(docs, band))
            {
                for (var x = 0; x < bucket.Count; x++)
                for (var y = x + 1; y < bucket.Count; y++)
                {
                    // Already one cluster: verifying again cannot change the outcome.
                    if (sets.Connected(bucket[x], bucket[y]))
                        continue;
                    candidatePairs++;
                    var similarity = MinHashSignature.EstimateJaccard(docs[bucket[x]].Signature, docs[bucket[y]].Signature);
                    if (similarity >= Options.Threshold)
                    {
                        verifiedPairs++;
                        sets.Union(bucket[x], bucket[y]);
                    }
                }
            }
        }
        return BuildResult(docs, sets, candidatePairs, verifiedPairs);
    }

    private List<DocumentSignature> CollectValid(IEnumerable<DocumentSignature> documents)
    {
        var docs = new List<DocumentSignature>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        foreach (var doc in documents)
        {
            if (doc.Id is null)
                throw new ArgumentException($"Document signature #{position} has no id; every document needs a unique id.");
            if (!ids.Add(doc.Id))
                throw new ArgumentException($"Document id \"{doc.Id}\" appears twice (again at #{position}); ids must be unique across all shards.");
            if (doc.Signature is null || doc.Signature.Length != Options.Permutations)
                throw new ArgumentException(
                    $"Document \"{doc.Id}\" has a signature of {doc.Signature?.Length ?? 0} values; this detector expects " +
                    $"{Options.Permutations} (NearDuplicateOptions.Permutations). Compute all signatures with the same options.");
            if (!MinHashSignature.IsEmpty(doc.Signature))
                docs.Add(doc);
            position++;
        }
        return docs;
    }

    private IEnumerable<List<int>> Bucket(List<DocumentSignature> docs, int band)
    {
        var buckets = new Dictionary<ulong, List<int>>();
        for (var i = 0; i < docs.Count; i++)
        {
            var key = LshBanding.BandKey(docs[i].Signature, band, Options.Rows);
            if (!buckets.TryGetValue(key, out var members))
                buckets[key] = members = [];
            members.Add(i);
        }
        return buckets.Values.Where(b => b.Count > 1);
    }

    private static NearDuplicateResult BuildResult(List<DocumentSignature> docs, UnionFind sets, long candidatePairs, long verifiedPairs)
    {
        var clusters = new List<NearDuplicateCluster>();
        var drop = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in sets.Groups())
        {
            var kept = group
                .Select(i => docs[i])
                .OrderByDescending(d => d.Length)
                .ThenBy(d => d.Id, StringComparer.Ordinal)
                .First();
            var members = group.Select(i => docs[i].Id).Order(StringComparer.Ordinal).ToArray();
            clusters.Add(new NearDuplicateCluster(kept.Id, members));
            foreach (var id in members)
                if (id != kept.Id)
                    drop.Add(id);
        }
        clusters.Sort((a, b) => string.CompareOrdinal(a.KeptId, b.KeptId));
        return new NearDuplicateResult(clusters, drop, candidatePairs, verifiedPairs);
    }
}
