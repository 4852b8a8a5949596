using Pipeline.Data.Dedup;

namespace Pipeline.Data.Tests.Dedup;

public sealed class ExactDeduplicatorTests
{
    private static Example Chat(string user, string assistant) =>
        new() { Id = user, Messages = [new ChatMessage("user", user), new ChatMessage("assistant", assistant)] };

    [Fact]
    public void The_first_occurrence_is_kept_and_later_ones_are_duplicates()
    {
        var dedup = new ExactDeduplicator();

        bool[] kept = [.. new[] { Chat("a", "1"), Chat("b", "2"), Chat("a", "1"), Chat("a", "2") }
            .Select(e => dedup.TryAdd(ExampleHasher.ContentHash(e)))];

        Assert.Equal([true, true, false, true], kept);
        Assert.Equal(3, dedup.Count);
    }

    [Fact]
    public void The_hash_covers_roles_boundaries_and_preference_replies_but_not_the_id()
    {
        UInt128 Hash(Example e) => ExampleHasher.ContentHash(e);
        var baseline = Chat("ab", "c");

        Assert.Equal(Hash(baseline), Hash(baseline with { Id = "other" }));
        Assert.NotEqual(Hash(baseline), Hash(Chat("a", "bc")));
        Assert.NotEqual(Hash(baseline), Hash(baseline with { Messages = [new ChatMessage("system", "ab"), new ChatMessage("assistant", "c")] }));
        Assert.NotEqual(Hash(baseline with { Chosen = "x", Rejected = "y" }), Hash(baseline with { Chosen = "y", Rejected = "x" }));
    }

    [Fact]
    public void An_exported_set_imports_to_the_same_decisions()
    {
        var dedup = new ExactDeduplicator();
        var hashes = Enumerable.Range(0, 50).Select(i => ExampleHasher.ContentHash(Chat($"q{i}", "a"))).ToList();
        foreach (var hash in hashes) dedup.TryAdd(hash);

        byte[] exported = dedup.Export();
        var restored = ExactDeduplicator.Import(exported);

        Assert.Equal(50 * 16, exported.Length);
        Assert.All(hashes, h => Assert.False(restored.TryAdd(h)));
        Assert.True(restored.TryAdd(ExampleHasher.ContentHash(Chat("new", "a"))));
        Assert.Equal(exported, ExactDeduplicator.Import(exported).Export());
    }
}
