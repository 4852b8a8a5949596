using System.Globalization;
using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Cleaning.Pii;
using Pipeline.Data;
using Pipeline.Data.Cards;
using Pipeline.Data.Filters;

namespace Pipeline.Cleaning.ExampleFilters;

/// <summary>
/// Near-duplicate removal as an ingestion step (single pass, first occurrence kept; see
/// <see cref="StreamingNearDuplicateIndex"/>). Its index is checkpointed with the run, and at the
/// end it adds the cluster counts and a cluster-size table to the data card. Sharded ingestion runs it in two
/// passes: <see cref="Sign"/> where each shard is cleaned, <see cref="Decide"/> in global order where the shards
/// are merged, which makes exactly the decisions of the single pass.
/// </summary>
public sealed class NearDuplicateExampleFilter : ISignatureExampleFilter, IDataCardContributor
{
    public const string DropReason = Quality.DropReasons.NearDuplicate;

    private readonly NearDuplicateDetector detector;
    private StreamingNearDuplicateIndex index;

    public NearDuplicateExampleFilter(NearDuplicateOptions? options = null)
    {
        detector = new NearDuplicateDetector(options);
        this.index = new StreamingNearDuplicateIndex(detector.Options);
    }

    public string Name => "near_duplicates";

    public int SignatureLength => detector.Options.Permutations;

    public ExampleVerdict Apply(Example example) =>
        Decide(example.Id, Sign(example)) is { } drop ? ExampleVerdict.Drop(drop.Reason, drop.Detail) : ExampleVerdict.Keep(example);

    /// <summary>
    /// The MinHash signature of all the example's texts, each shingled on its own (see
    /// <see cref="NearDuplicateDetector.ComputeSignature(IReadOnlyList{string})"/>), with PII placeholders unnumbered
    /// (<see cref="PlaceholderText.WithoutNumbers"/>). Thread-safe.
    /// </summary>
    public ulong[] Sign(Example example) =>
        detector.ComputeSignature([.. example.Texts().Select(PlaceholderText.WithoutNumbers)]);

    public SignatureDrop? Decide(string exampleId, ulong[] signature)
    {
        var original = this.index.AddOrFindDuplicate(exampleId, signature);
        return original is null
            ? null
            : new SignatureDrop(DropReason, $"near-duplicate of example {original} (estimated Jaccard ≥ {detector.Options.Threshold.ToString(CultureInfo.InvariantCulture)})");
    }

    public byte[] SaveState() => this.index.Save();

    public void RestoreState(ReadOnlySpan<byte> state) => this.index = StreamingNearDuplicateIndex.Restore(state, detector.Options);

    public void Contribute(DataCard card)
    {
        var sizes = this.index.ClusterSizes;
        card.Counters["near_duplicates.clusters"] = sizes.Count;
        card.Counters["near_duplicates.largest_cluster"] = sizes.Count == 0 ? 0 : sizes.Max();
        var rows = sizes.GroupBy(s => s).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<string>)[g.Key.ToString(CultureInfo.InvariantCulture), g.Count().ToString(CultureInfo.InvariantCulture)])
            .ToList();
        var options = detector.Options;
        card.Sections.Add(new DataCardSection(
            "Near-duplicate clusters",
            ["cluster size", "clusters"],
            rows,
            FormattableString.Invariant($"MinHash over {options.Unit.ToString().ToLowerInvariant()} {options.ShingleSize}-grams, {options.Permutations} permutations, LSH {options.Bands}×{options.Rows}, Jaccard ≥ {options.Threshold}; the first example of each cluster is kept.")));
    }
}
