using Pipeline.Cleaning.NearDuplicates;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

public sealed class NearDuplicateDetectorTests
{
    private const string Base =
        "The quarterly report shows revenue growth in every region except the north, where a late shipment " +
        "delayed two large orders until the following month and the team expects to recover the gap in spring.";

    [Fact]
    public void Case_and_punctuation_edits_give_an_identical_signature()
    {
        var detector = new NearDuplicateDetector();
        var edited = Base.Replace(" the ", "  the\n").Replace(",", ";").ToUpperInvariant();

        Assert.Equal(detector.ComputeSignature(Base), detector.ComputeSignature(edited));
    }

    [Fact]
    public void Longest_member_is_kept_and_ties_go_to_the_smallest_id()
    {
        var detector = new NearDuplicateDetector();
        var signature = detector.ComputeSignature(Base);
        DocumentSignature[] documents =
        [
            new("c", 100, signature),
            new("b", 120, signature),
            new("a", 120, signature),
        ];

        var result = detector.FindClusters(documents);

        var cluster = Assert.Single(result.Clusters);
        Assert.Equal("a", cluster.KeptId);
        Assert.Equal(["a", "b", "c"], cluster.MemberIds);
        Assert.Equal(["b", "c"], result.IdsToDrop.Order());
    }

    [Fact]
    public void Unrelated_texts_form_no_cluster()
    {
        var detector = new NearDuplicateDetector();
        var other = "Bake the bread at two hundred degrees for forty minutes, then let it cool on a rack before slicing it thinly.";

        var result = detector.FindClusters([detector.Sign("x", Base), detector.Sign("y", other)]);

        Assert.Empty(result.Clusters);
        Assert.Empty(result.IdsToDrop);
    }

    [Fact]
    public void Texts_without_words_are_never_clustered()
    {
        var detector = new NearDuplicateDetector();

        var result = detector.FindClusters([detector.Sign("e1", ""), detector.Sign("e2", " ... "), detector.Sign("t", Base)]);

        Assert.True(MinHashSignature.IsEmpty(detector.ComputeSignature("!!")));
        Assert.Empty(result.Clusters);
    }

    [Fact]
    public void Duplicate_ids_are_rejected_with_the_id_named()
    {
        var detector = new NearDuplicateDetector();
        var signature = detector.ComputeSignature(Base);

        var error = Assert.Throws<ArgumentException>(() => detector.FindClusters([new("shard1/7", 10, signature), new("shard1/7", 10, signature)]));

        Assert.Contains("\"shard1/7\"", error.Message);
    }

    [Fact]
    public void Signatures_of_another_length_are_rejected_with_both_lengths_named()
    {
        var detector = new NearDuplicateDetector();
        var shortSignature = new NearDuplicateDetector(new NearDuplicateOptions { Permutations = 64, Bands = 8, Rows = 8 }).ComputeSignature(Base);

        var error = Assert.Throws<ArgumentException>(() => detector.FindClusters([new("doc-1", 10, shortSignature)]));

        Assert.Contains("doc-1", error.Message);
        Assert.Contains("64", error.Message);
        Assert.Contains("128", error.Message);
    }
}
