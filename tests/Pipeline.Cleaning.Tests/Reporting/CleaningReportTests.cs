using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Cleaning.Parallelism;
using Pipeline.Cleaning.Pii;
using Pipeline.Cleaning.Quality;
using Pipeline.Cleaning.Reporting;

namespace Pipeline.Cleaning.Tests.Reporting;

public sealed class CleaningReportTests
{
    [Fact]
    public void Counters_carry_pii_drops_and_cluster_sizes()
    {
        var report = new CleaningReport();
        report.RecordExamples(10);
        report.RecordPii(new Dictionary<PiiType, int> { [PiiType.Email] = 2, [PiiType.IpAddress] = 1 });
        report.RecordPii(new Dictionary<PiiType, int> { [PiiType.Email] = 3 });
        report.RecordDrop(DropReasons.RefusalOnly);
        report.RecordNearDuplicates(new NearDuplicateResult(
            [new NearDuplicateCluster("a", ["a", "b", "c"]), new NearDuplicateCluster("d", ["d", "e"])],
            new HashSet<string> { "b", "c", "e" }, CandidatePairs: 4, VerifiedPairs: 3));

        var counters = report.ToCounters();

        Assert.Equal(10, counters["examples.in"]);
        Assert.Equal(4, counters["examples.dropped"]);
        Assert.Equal(6, counters["examples.kept"]);
        Assert.Equal(5, counters["pii.email"]);
        Assert.Equal(1, counters["pii.ip_address"]);
        Assert.Equal(1, counters["drop.refusal_only"]);
        Assert.Equal(3, counters["drop.near_duplicate"]);
        Assert.Equal(2, counters["near_duplicates.clusters"]);
        Assert.Equal(3, counters["near_duplicates.largest_cluster"]);
        Assert.Equal(1, counters["near_duplicates.cluster_size.2"]);
        Assert.Equal(1, counters["near_duplicates.cluster_size.3"]);
        Assert.Equal([3, 2], report.NearDuplicateClusterSizes);
    }

    [Fact]
    public void Concurrent_recording_and_merging_lose_nothing()
    {
        var shards = Enumerable.Range(0, 8).Select(_ => new CleaningReport()).ToArray();
        OrderedParallel.Map(Enumerable.Range(0, 8000).ToArray(), i =>
        {
            var shard = shards[i % 8];
            shard.RecordExamples(1);
            shard.RecordDrop(i % 2 == 0 ? "a" : "b");
            shard.RecordPii(new Dictionary<PiiType, int> { [PiiType.Name] = 1 });
            return 0;
        });

        var total = new CleaningReport();
        foreach (var shard in shards)
            total.Merge(shard);

        Assert.Equal(8000, total.ExamplesIn);
        Assert.Equal(4000, total.DropsByReason["a"]);
        Assert.Equal(8000, total.PiiReplacements[PiiType.Name]);
        Assert.Equal(0, total.ExamplesKept);
    }
}
