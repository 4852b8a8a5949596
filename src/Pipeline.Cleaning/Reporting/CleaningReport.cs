using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Cleaning.Pii;
using Pipeline.Cleaning.Quality;

namespace Pipeline.Cleaning.Reporting;

/// <summary>
/// What cleaning did, for the data card: examples in and kept, PII replacements per type, drops
/// per reason, near-duplicate clusters and their sizes. Safe to record into from many threads;
/// shard reports combine with <see cref="Merge"/>.
/// </summary>
public sealed class CleaningReport
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PiiType, long> _pii = [];
    private readonly Dictionary<string, long> _drops = new(StringComparer.Ordinal);
    private readonly List<int> _clusterSizes = [];
    private long _examplesIn;

    public long ExamplesIn { get { lock (_gate) return _examplesIn; } }

    public long ExamplesDropped { get { lock (_gate) return _drops.Values.Sum(); } }

    public long ExamplesKept => ExamplesIn - ExamplesDropped;

    public IReadOnlyDictionary<PiiType, long> PiiReplacements { get { lock (_gate) return new Dictionary<PiiType, long>(_pii); } }

    public IReadOnlyDictionary<string, long> DropsByReason { get { lock (_gate) return new Dictionary<string, long>(_drops, StringComparer.Ordinal); } }

    /// <summary>Sizes of the near-duplicate clusters, largest first.</summary>
    public IReadOnlyList<int> NearDuplicateClusterSizes { get { lock (_gate) return [.. _clusterSizes.OrderDescending()]; } }

    public void RecordExamples(long count)
    {
        lock (_gate) _examplesIn += count;
    }

    public void RecordPii(IReadOnlyDictionary<PiiType, int> counts)
    {
        lock (_gate)
            foreach (var (type, count) in counts)
                _pii[type] = _pii.GetValueOrDefault(type) + count;
    }

    public void RecordDrop(string reason, long count = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate) _drops[reason] = _drops.GetValueOrDefault(reason) + count;
    }

    /// <summary>Adds the clusters and one <see cref="DropReasons.NearDuplicate"/> drop per dropped id.</summary>
    public void RecordNearDuplicates(NearDuplicateResult result)
    {
        lock (_gate)
        {
            _clusterSizes.AddRange(result.ClusterSizes);
            if (result.IdsToDrop.Count > 0)
                _drops[DropReasons.NearDuplicate] = _drops.GetValueOrDefault(DropReasons.NearDuplicate) + result.IdsToDrop.Count;
        }
    }

    public void Merge(CleaningReport other)
    {
        if (ReferenceEquals(other, this))
            throw new ArgumentException("A report cannot be merged into itself.", nameof(other));
        var examples = other.ExamplesIn;
        var pii = other.PiiReplacements;
        var drops = other.DropsByReason;
        var clusters = other.NearDuplicateClusterSizes;
        lock (_gate)
        {
            _examplesIn += examples;
            foreach (var (type, count) in pii)
                _pii[type] = _pii.GetValueOrDefault(type) + count;
            foreach (var (reason, count) in drops)
                _drops[reason] = _drops.GetValueOrDefault(reason) + count;
            _clusterSizes.AddRange(clusters);
        }
    }

    /// <summary>
    /// Flat counters for the data card, named as its other counters are (dot-separated):
    /// <c>examples.in</c>, <c>examples.kept</c>, <c>pii.email</c>, <c>drop.refusal_only</c>,
    /// <c>near_duplicates.clusters</c>, <c>near_duplicates.largest_cluster</c>,
    /// <c>near_duplicates.cluster_size.2</c> (how many clusters have two members), ...
    /// </summary>
    public IReadOnlyDictionary<string, long> ToCounters()
    {
        lock (_gate)
        {
            var counters = new SortedDictionary<string, long>(StringComparer.Ordinal)
            {
                ["examples.in"] = _examplesIn,
                ["examples.dropped"] = _drops.Values.Sum(),
                ["examples.kept"] = _examplesIn - _drops.Values.Sum(),
                ["near_duplicates.clusters"] = _clusterSizes.Count,
                ["near_duplicates.largest_cluster"] = _clusterSizes.Count == 0 ? 0 : _clusterSizes.Max(),
            };
            foreach (var (type, count) in _pii)
                counters[$"pii.{type.CounterName()}"] = count;
            foreach (var (reason, count) in _drops)
                counters[$"drop.{reason}"] = count;
            foreach (var group in _clusterSizes.GroupBy(s => s))
                counters[$"near_duplicates.cluster_size.{group.Key}"] = group.Count();
            return counters;
        }
    }
}
