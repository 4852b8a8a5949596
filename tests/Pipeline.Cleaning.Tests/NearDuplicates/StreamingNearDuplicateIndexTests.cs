using Pipeline.Cleaning.NearDuplicates;

namespace Pipeline.Cleaning.Tests.NearDuplicates;

public sealed class StreamingNearDuplicateIndexTests
{
    [Fact]
    public void The_first_occurrence_is_kept_and_later_near_duplicates_point_to_it()
    {
        var corpus = NearDuplicateCorpus.Build(seed: 31, distinctTexts: 30, families: 10, topicGroups: 2);
        var detector = new NearDuplicateDetector();
        var index = new StreamingNearDuplicateIndex();
        var familyOf = corpus.Families.SelectMany(f => f.Select(id => (id, f[0]))).ToDictionary(p => p.id, p => p.Item2);

        var dropped = new Dictionary<string, string>();
        foreach (var (id, text) in corpus.Documents)
            if (index.AddOrFindDuplicate(id, detector.ComputeSignature(text)) is { } original)
                dropped[id] = original;

        var planted = corpus.Families.Sum(f => f.Count - 1);
        Assert.Equal(planted, dropped.Count);
        Assert.All(dropped, d => Assert.Equal(familyOf[d.Key], d.Value)); // variants come after their original in the stream
        Assert.Equal(corpus.Documents.Count - planted, index.Count);
        Assert.Equal(corpus.Families.Select(f => f.Count).Order(), index.ClusterSizes.Order());
    }

    [Fact]
    public void A_restored_index_decides_as_the_original_would()
    {
        var detector = new NearDuplicateDetector();
        var index = new StreamingNearDuplicateIndex();
        const string text = "Open the settings page, choose the billing tab and update the card on file for the next invoice.";
        Assert.Null(index.AddOrFindDuplicate("first", detector.ComputeSignature(text)));
        Assert.Equal("first", index.AddOrFindDuplicate("second", detector.ComputeSignature(text.ToUpperInvariant())));

        var restored = StreamingNearDuplicateIndex.Restore(index.Save());

        Assert.Equal(1, restored.Count);
        Assert.Equal([2], restored.ClusterSizes);
        Assert.Equal("first", restored.AddOrFindDuplicate("third", detector.ComputeSignature(text + "!")));
        Assert.Equal(index.Save().Length, StreamingNearDuplicateIndex.Restore(index.Save()).Save().Length);
    }

    [Fact]
    public void Restoring_with_other_options_or_broken_bytes_is_an_error_that_says_so()
    {
        var index = new StreamingNearDuplicateIndex();
        index.AddOrFindDuplicate("a", new NearDuplicateDetector().ComputeSignature("some words to index here today"));
        var saved = index.Save();

        var options = Assert.Throws<InvalidDataException>(() => StreamingNearDuplicateIndex.Restore(saved, new NearDuplicateOptions { Threshold = 0.9 }));
        Assert.Contains("threshold=0.8", options.Message);
        Assert.Contains("threshold=0.9", options.Message);

        var truncated = Assert.Throws<InvalidDataException>(() => StreamingNearDuplicateIndex.Restore(saved.AsSpan(0, saved.Length - 3)));
        Assert.Contains("truncated", truncated.Message);
    }
}
