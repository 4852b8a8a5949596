using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Cleaning.Parallelism;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

/// <summary>Precision and recall of near-duplicate pairs against a planted, labelled corpus.</summary>
public sealed class NearDuplicateDetectionQualityTests(ITestOutputHelper output)
{
    [Fact]
    public void Word_shingles_find_planted_near_duplicates_and_leave_topic_siblings_alone()
    {
        var corpus = NearDuplicateCorpus.Build(seed: 20261101, distinctTexts: 300, families: 100, topicGroups: 20);
        var detector = new NearDuplicateDetector();

        var figures = Evaluate(corpus, detector);

        output.WriteLine($"word 5-gram shingles, 128 permutations, 16 bands × 8 rows, threshold 0.8");
        output.WriteLine(figures.ToString());
        Assert.True(corpus.PlantedJaccards.Min() >= 0.8, $"generator planted a variant below Jaccard 0.8: {corpus.PlantedJaccards.Min():0.000}");
        Assert.True(figures.MaxTopicJaccard < 0.5, $"topic siblings should be clearly distinct; max Jaccard {figures.MaxTopicJaccard:0.000}");
        Assert.True(figures.Precision >= 0.95, $"precision {figures.Precision:0.000} < 0.95");
        Assert.True(figures.Recall >= 0.9, $"recall {figures.Recall:0.000} < 0.9");
        Assert.Equal(0, figures.TopicPairsClustered);
    }

    [Fact]
    public void Character_shingles_find_planted_near_duplicates()
    {
        var options = new NearDuplicateOptions { Unit = ShingleUnit.Characters, ShingleSize = 5 };
        var corpus = NearDuplicateCorpus.Build(seed: 77, distinctTexts: 50, families: 20, topicGroups: 5, ShingleUnit.Characters, 5);
        var detector = new NearDuplicateDetector(options);

        var figures = Evaluate(corpus, detector);

        output.WriteLine("character 5-gram shingles, 128 permutations, 16 bands × 8 rows, threshold 0.8");
        output.WriteLine(figures.ToString());
        Assert.True(figures.Precision >= 0.95, $"precision {figures.Precision:0.000} < 0.95");
        Assert.True(figures.Recall >= 0.9, $"recall {figures.Recall:0.000} < 0.9");
    }

    [Fact]
    public void Every_family_keeps_exactly_one_member_and_it_is_the_longest()
    {
        var corpus = NearDuplicateCorpus.Build(seed: 5, distinctTexts: 60, families: 20, topicGroups: 0);
        var detector = new NearDuplicateDetector();
        var texts = corpus.TextById;
        var result = detector.FindClusters(corpus.Documents.Select(d => detector.Sign(d.Id, d.Text)));

        foreach (var cluster in result.Clusters)
        {
            var longest = cluster.MemberIds.Max(id => texts[id].Length);
            Assert.Equal(longest, texts[cluster.KeptId].Length);
            Assert.DoesNotContain(cluster.KeptId, result.IdsToDrop);
            Assert.All(cluster.MemberIds.Where(id => id != cluster.KeptId), id => Assert.Contains(id, result.IdsToDrop));
        }
        var kept = corpus.Documents.Count - result.IdsToDrop.Count;
        output.WriteLine($"{corpus.Documents.Count} documents, {result.Clusters.Count} clusters, {kept} kept");
    }

    [Fact]
    public void Signatures_from_parallel_shards_give_the_same_clusters_in_any_order()
    {
        var corpus = NearDuplicateCorpus.Build(seed: 9, distinctTexts: 40, families: 15, topicGroups: 3);
        var detector = new NearDuplicateDetector();
        var shards = corpus.Documents.Chunk(25).ToList();

        // pass 1: each shard signed on its own, in parallel; pass 2: all signatures together
        var signed = shards.SelectMany(shard => OrderedParallel.Map(shard, d => detector.Sign(d.Id, d.Text))).ToList();
        var forward = detector.FindClusters(signed);
        var shuffled = signed.OrderBy(s => Fnv1a64.Hash(s.Id.AsSpan())).ToList();
        var backward = new NearDuplicateDetector().FindClusters(shuffled);

        Assert.NotEmpty(forward.Clusters);
        Assert.Equal(forward.Clusters.Select(c => (c.KeptId, string.Join(",", c.MemberIds))),
                     backward.Clusters.Select(c => (c.KeptId, string.Join(",", c.MemberIds))));
        Assert.Equal(forward.IdsToDrop.Order(), backward.IdsToDrop.Order());
    }

    private static Figures Evaluate(NearDuplicateCorpus corpus, NearDuplicateDetector detector)
    {
        var signatures = OrderedParallel.Map(corpus.Documents, d => detector.Sign(d.Id, d.Text));
        var result = detector.FindClusters(signatures);

        var truth = corpus.Families.SelectMany(Pairs).ToHashSet();
        var detected = result.Clusters.SelectMany(c => Pairs(c.MemberIds)).ToHashSet();
        var truePositives = detected.Count(truth.Contains);
        var topicPairs = corpus.TopicGroups.SelectMany(Pairs).ToHashSet();
        var texts = corpus.TextById;
        var options = detector.Options;
        var maxTopicJaccard = topicPairs.Count == 0 ? 0 : topicPairs.Max(p => NearDuplicateCorpus.ExactJaccard(texts[p.A], texts[p.B], options.Unit, options.ShingleSize));
        return new Figures(
            Documents: corpus.Documents.Count,
            TruePairs: truth.Count,
            DetectedPairs: detected.Count,
            TruePositives: truePositives,
            Precision: detected.Count == 0 ? 0 : (double)truePositives / detected.Count,
            Recall: (double)truePositives / truth.Count,
            MinPlantedJaccard: corpus.PlantedJaccards.Min(),
            MeanPlantedJaccard: corpus.PlantedJaccards.Average(),
            MaxTopicJaccard: maxTopicJaccard,
            TopicPairsClustered: detected.Count(topicPairs.Contains),
            Clusters: result.Clusters.Count,
            CandidatePairs: result.CandidatePairs);
    }

    private static IEnumerable<(string A, string B)> Pairs(IReadOnlyList<string> members)
    {
        var sorted = members.Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < sorted.Count; i++)
            for (var j = i + 1; j < sorted.Count; j++)
                yield return (sorted[i], sorted[j]);
    }

    private sealed record Figures(
        int Documents, int TruePairs, int DetectedPairs, int TruePositives, double Precision, double Recall,
        double MinPlantedJaccard, double MeanPlantedJaccard, double MaxTopicJaccard, int TopicPairsClustered,
        int Clusters, long CandidatePairs)
    {
        public override string ToString() =>
            $"documents {Documents}, planted duplicate pairs {TruePairs} (exact Jaccard min {MinPlantedJaccard:0.000}, mean {MeanPlantedJaccard:0.000}), " +
            $"detected pairs {DetectedPairs}, true positives {TruePositives}, precision {Precision:0.000}, recall {Recall:0.000}, " +
            $"clusters {Clusters}, LSH candidate pairs verified {CandidatePairs}, topic-sibling max Jaccard {MaxTopicJaccard:0.000}, topic pairs clustered {TopicPairsClustered}";
    }
}
