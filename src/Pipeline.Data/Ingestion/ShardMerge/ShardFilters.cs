using Pipeline.Data.Filters;

namespace Pipeline.Data.Ingestion.ShardMerge;

/// <summary>
/// A run's filters (built-in ones first, as <see cref="DatasetBuilder"/> applies them) cut in two for sharded
/// ingestion: <see cref="Local"/>, the stateless ones every shard applies by itself, and <see cref="Deferred"/>,
/// the stateful ones that end the chain and decide in global order from signatures computed in the shards.
/// </summary>
public sealed record ShardFilters(
    IReadOnlyList<IExampleFilter> All,
    IReadOnlyList<IExampleFilter> Local,
    IReadOnlyList<ISignatureExampleFilter> Deferred)
{
    /// <summary>
    /// Null when the filters cannot be sharded without changing the result: a stateful filter that cannot
    /// decide from a signature, or a stateless filter after a stateful one (it would have to see the text again).
    /// </summary>
    public static ShardFilters? TrySplit(IngestionOptions options, IEnumerable<IExampleFilter>? filters)
    {
        var all = DatasetBuilder.WithBuiltInFilters(options, filters);
        int firstStateful = 0;
        while (firstStateful < all.Count && all[firstStateful] is not IStatefulExampleFilter) firstStateful++;
        var deferred = new List<ISignatureExampleFilter>();
        for (int i = firstStateful; i < all.Count; i++)
        {
            if (all[i] is not ISignatureExampleFilter signatureFilter) return null;
            deferred.Add(signatureFilter);
        }
        return new ShardFilters(all, [.. all.Take(firstStateful)], deferred);
    }

    public IReadOnlyList<int> SignatureLengths => [.. Deferred.Select(f => f.SignatureLength)];
}
