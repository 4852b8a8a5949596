using Pipeline.Data.Filters;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Readers;
using Pipeline.Data.Sinks;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Ingestion;

public sealed class ResumeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Three inputs with duplicates across them, bad rows, and a JSON array: 70 rows in all.</summary>
    private static IngestionOptions WriteInputs(TempFolder folder)
    {
        string first = folder.WriteLines("in/a.jsonl", [.. TestData.AlpacaLines(25), "{bad json", .. TestData.AlpacaLines(5, offset: 3)]);
        string second = folder.Write("in/b.json", "[\n" + string.Join(",\n", TestData.AlpacaLines(20, offset: 20)) + "\n]\n");
        string third = folder.Write("in/c.csv", "instruction,input,output\n" +
            string.Join("\n", Enumerable.Range(38, 19).Select(i => $"\"Explain topic {i}.\",{(i % 3 == 0 ? $"Context {i}" : "")},\"Topic {i} is\nlong.\"")) + "\n");
        return new IngestionOptions
        {
            Inputs = [new DatasetInput(first), new DatasetInput(second), new DatasetInput(third)],
            ValidationFraction = 0.3,
            ShardSize = 4,
            Seed = 7,
        };
    }

    private static Dictionary<string, byte[]> ReadAll(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllBytes(f));

    [Fact]
    public async Task A_run_done_in_slices_writes_byte_identical_files_to_an_uninterrupted_run()
    {
        using var folder = new TempFolder();
        var options = WriteInputs(folder);
        var whole = await new DatasetBuilder(options, new FolderDatasetSink(folder.PathOf("whole")), [new TopicPairOnceFilter()]).RunAsync(ct: Ct);

        int slices = 0;
        byte[]? saved = null;
        IngestionResult result;
        do
        {
            // A fresh builder and filter per slice, resumed from the serialized checkpoint as a restarted stage would be.
            var resumeFrom = saved is null ? null : IngestionCheckpointSerializer.FromBytes(saved);
            var builder = new DatasetBuilder(options, new FolderDatasetSink(folder.PathOf("sliced")), [new TopicPairOnceFilter()]);
            result = await builder.RunAsync(resumeFrom, c => { saved = IngestionCheckpointSerializer.ToBytes(c); return Task.CompletedTask; }, shouldYield: () => true, ct: Ct);
            slices++;
        }
        while (!result.Completed);

        Assert.True(slices > 5, $"expected many slices, got {slices}");
        Assert.True(whole.Card.TrainRows > 0 && whole.Card.ValidationRows > 0);
        var expected = ReadAll(folder.PathOf("whole"));
        var actual = ReadAll(folder.PathOf("sliced"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, file => Assert.True(file.Value.AsSpan().SequenceEqual(actual[file.Key]), $"{file.Key} differs"));
    }

    [Fact]
    public async Task A_crash_mid_shard_resumes_from_the_last_checkpoint_and_rewrites_the_unfinished_shard()
    {
        using var folder = new TempFolder();
        var options = WriteInputs(folder);
        await new DatasetBuilder(options, new FolderDatasetSink(folder.PathOf("whole"))).RunAsync(ct: Ct);

        // The first attempt dies when it opens its sixth file, leaving the shards it had open half written.
        var target = new FolderDatasetSink(folder.PathOf("crashed"));
        int opened = 0;
        var failing = new DelegateDatasetSink(path => ++opened == 6
            ? throw new IOException("disk went away")
            : target.OpenWriteAsync(path, Ct).GetAwaiter().GetResult());
        IngestionCheckpoint? last = null;
        await Assert.ThrowsAsync<IOException>(() => new DatasetBuilder(options, failing).RunAsync(null, c => { last = c; return Task.CompletedTask; }, ct: Ct));
        Assert.NotNull(last);

        var resumed = await new DatasetBuilder(options, target).RunAsync(IngestionCheckpointSerializer.FromBytes(IngestionCheckpointSerializer.ToBytes(last)), ct: Ct);

        Assert.True(resumed.Completed);
        var expected = ReadAll(folder.PathOf("whole"));
        var actual = ReadAll(folder.PathOf("crashed"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, file => Assert.True(file.Value.AsSpan().SequenceEqual(actual[file.Key]), $"{file.Key} differs"));
    }

    [Fact]
    public async Task A_checkpoint_is_not_resumed_under_different_options()
    {
        using var folder = new TempFolder();
        var options = WriteInputs(folder);
        var first = await new DatasetBuilder(options, new FolderDatasetSink(folder.PathOf("out"))).RunAsync(shouldYield: () => true, ct: Ct);
        Assert.False(first.Completed);

        var changed = options with { Seed = 8 };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new DatasetBuilder(changed, new FolderDatasetSink(folder.PathOf("out"))).RunAsync(first.Checkpoint, ct: Ct));

        Assert.StartsWith("The ingestion checkpoint was written under different options", error.Message);
    }

    [Fact]
    public async Task Shards_never_exceed_the_shard_size_and_the_card_lists_them_with_their_rows()
    {
        using var folder = new TempFolder();
        var options = WriteInputs(folder);

        var result = await new DatasetBuilder(options, new FolderDatasetSink(folder.PathOf("out"))).RunAsync(ct: Ct);

        foreach (var shard in result.Card.Shards)
        {
            var lines = File.ReadAllLines(folder.PathOf("out/" + shard.Path));
            Assert.Equal(shard.Rows, lines.Length);
            Assert.InRange(lines.Length, 1, options.ShardSize);
        }
        Assert.Equal(result.Card.TrainRows, result.Card.Shards.Where(s => s.Split == "train").Sum(s => s.Rows));
        Assert.Equal(result.Card.ValidationRows, result.Card.Shards.Where(s => s.Split == "validation").Sum(s => s.Rows));
        // Read: a.jsonl 25 + 1 bad + 5, b.json 20, c.csv 19. Duplicates: a's second run of topics 3-7 and b's topics
        // 20-24 (a had 0-24); c's topics 38-39 have other replies than b's, so they are not duplicates.
        Assert.Equal((70L, 1L, 10L), (result.Card.RowsRead, result.Card.BadRows, result.Card.Drops["duplicate"].Count));
    }

    /// <summary>A stateful filter: keeps only the first of each pair of topic numbers (topics 2k and 2k+1), so its memory matters on resume.</summary>
    private sealed class TopicPairOnceFilter : IStatefulExampleFilter
    {
        private HashSet<string> seen = [];

        public string Name => "topic_pair_once";

        public ExampleVerdict Apply(Example example)
        {
            string key = (int.Parse(example.Messages[^1].Content.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) / 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return seen.Add(key) ? ExampleVerdict.Keep(example) : ExampleVerdict.Drop("same_topic_pair", $"topic pair {key} was seen before");
        }

        public byte[] SaveState() => System.Text.Encoding.UTF8.GetBytes(string.Join("\n", seen.Order(StringComparer.Ordinal)));

        public void RestoreState(ReadOnlySpan<byte> state) =>
            seen = [.. System.Text.Encoding.UTF8.GetString(state).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
