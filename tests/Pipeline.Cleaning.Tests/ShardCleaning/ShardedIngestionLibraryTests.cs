using System.Text;
using System.Text.Json;
using Pipeline.Cleaning.ExampleFilters;
using Pipeline.Cleaning.Pii;
using Pipeline.Cleaning.ShardCleaning;
using Pipeline.Data.Filters;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Ingestion.ShardMerge;
using Pipeline.Data.Readers;
using Pipeline.Data.Sinks;

namespace Pipeline.Cleaning.Tests.ShardCleaning;

/// <summary>
/// The two passes of sharded ingestion as a library: cut, clean each shard (any core count), merge in slices
/// from checkpoints; the files are byte for byte those of <see cref="DatasetBuilder"/>'s single pass.
/// </summary>
public sealed class ShardedIngestionLibraryTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempFolder root = new();

    private static IExampleFilter[] Filters() =>
        [new QualityExampleFilter(), new PiiExampleFilter(new PiiOptions()), new NearDuplicateExampleFilter()];

    private static readonly string[] Words = ["order", "parcel", "refund", "invoice", "account", "delivery", "address", "warranty", "battery", "screen",
        "charger", "cable", "router", "printer", "courier", "depot", "label", "return", "voucher", "payment", "password", "firmware", "manual", "ticket"];

    /// <summary>A JSON Lines input (with a near-duplicate far from its original, an exact duplicate, a bad line) and a CSV.</summary>
    private IngestionOptions WriteInputs()
    {
        var random = new Random(3);
        string Sentence(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => Words[random.Next(Words.Length)]));
        var jsonl = new StringBuilder();
        for (int i = 0; i < 90; i++)
        {
            var output = i switch
            {
                2 => "Hello! The replacement kettle ships from the Leeds warehouse tomorrow and arrives before noon on Friday.",
                70 => "hello, the replacement kettle ships from the leeds warehouse tomorrow; and arrives before noon on friday!",
                4 or 60 => "Your loyalty points from March were added to your account today.",
                8 => $"Hello! Write to kim.novak@example.com about {Sentence(8)}.",
                _ => $"Hello! {Sentence(20)}.",
            };
            var instruction = i is 4 or 60 ? "Where are my points?" : i is 2 or 70 ? "Where is my kettle?" : $"Ticket {i}: {Sentence(10)}?";
            jsonl.Append(JsonSerializer.Serialize(new { instruction, input = "", output })).Append('\n');
            if (i == 40) jsonl.Append("{\"instruction\": \"broken\n");
        }
        File.WriteAllText(root.PathOf("a.jsonl"), jsonl.ToString());
        File.WriteAllText(root.PathOf("b.csv"), "instruction,input,output\n" +
            string.Join("\n", Enumerable.Range(0, 12).Select(i => $"\"Ticket {i}: {Sentence(6)}?\",,\"Hello! {Sentence(15)}.\"")) + "\n" +
            "\"Where are my points?\",,\"Your loyalty points from March were added to your account today.\"\n");
        return new IngestionOptions
        {
            Inputs = [new DatasetInput(root.PathOf("a.jsonl"), DataFormat.Alpaca, "a.jsonl"), new DatasetInput(root.PathOf("b.csv"), DataFormat.Csv, "b.csv")],
            ValidationFraction = 0.25,
            ShardSize = 7,
            Seed = 11,
        };
    }

    [Fact]
    public async Task Cleaned_shards_merged_in_slices_give_the_single_pass_files_byte_for_byte()
    {
        var options = WriteInputs();
        await new DatasetBuilder(options, new FolderDatasetSink(root.PathOf("single")), Filters()).RunAsync(ct: Ct);

        // 1. cut: the JSON Lines input at line boundaries, the CSV whole
        var formats = new List<DetectedFormat>();
        foreach (var input in options.Inputs) formats.Add(await FormatDetector.DetectAsync(input, Ct));
        var ranges = JsonLinesSplitter.Split(options.Inputs[0].Path, 2500);
        Assert.True(ranges.Count >= 4, $"expected several shards, got {ranges.Count}");
        var bytes = File.ReadAllBytes(options.Inputs[0].Path);
        var sources = new List<(int Input, ShardSource Source)>();
        foreach (var range in ranges)
        {
            var slice = root.PathOf($"slice-{range.Start}.jsonl");
            File.WriteAllBytes(slice, bytes[(int)range.Start..(int)range.End]);
            sources.Add((0, new ShardSource(slice, formats[0], "a.jsonl", range.FirstLine)));
        }
        sources.Add((1, new ShardSource(options.Inputs[1].Path, formats[1], "b.csv")));

        // 2. clean each shard, each with fresh filters as a replica would build them
        var cleaned = new List<CleanedShardSource>();
        for (int i = 0; i < sources.Count; i++)
        {
            var folder = root.PathOf($"cleaned-{i}");
            await new ShardCleaner(options, ShardFilters.TrySplit(options, Filters())!, batchSize: 5).CleanAsync(sources[i].Source, folder, Ct);
            cleaned.Add(new CleanedShardSource(sources[i].Input, $"shard {i}", (file, _) => Task.FromResult<Stream>(File.OpenRead(Path.Combine(folder, file)))));
        }

        // 3. merge, one output shard per slice, from serialized checkpoints, fresh filters each slice
        byte[]? saved = null;
        int slices = 0;
        IngestionResult result;
        do
        {
            var merger = new ShardedDatasetMerger(options, new FolderDatasetSink(root.PathOf("sharded")), ShardFilters.TrySplit(options, Filters())!, formats, cleaned);
            result = await merger.RunAsync(saved is null ? null : IngestionCheckpointSerializer.FromBytes(saved),
                c => { saved = IngestionCheckpointSerializer.ToBytes(c); return Task.CompletedTask; }, shouldYield: () => true, ct: Ct);
            slices++;
        }
        while (!result.Completed);

        Assert.True(slices > 3, $"expected the merge to run in several slices, got {slices}");
        var expected = ReadAll(root.PathOf("single"));
        Assert.Equal(expected.Keys.Order(), ReadAll(root.PathOf("sharded")).Keys.Order());
        foreach (var (name, content) in ReadAll(root.PathOf("sharded")))
            Assert.True(expected[name].AsSpan().SequenceEqual(content), $"{name} differs from the single pass's:\n{Encoding.UTF8.GetString(content)}");
        var card = Pipeline.Data.Cards.DataCard.FromJson(File.ReadAllText(root.PathOf("sharded", "data_card.json")));
        // The kettle copy (line 72), and the points answer again at line 62 and in the CSV: exact copies are near ones too.
        Assert.Equal([("a.jsonl", 62L), ("a.jsonl", 72L), ("b.csv", 14L)], card.Drops["near_duplicate"].Examples.Select(e => (e.File, e.Line)));
        Assert.Equal(("a.jsonl", 42L), card.BadRowReasons.Values.Single().Examples.Select(e => (e.File, e.Line)).Single()); // numbered in the whole file
    }

    [Fact]
    public async Task A_cleaned_shard_is_the_same_on_one_core_in_small_batches_and_on_all_cores()
    {
        var options = WriteInputs();
        var format = await FormatDetector.DetectAsync(options.Inputs[0], Ct);
        var source = new ShardSource(options.Inputs[0].Path, format, "a.jsonl");

        var oneCore = await new ShardCleaner(options, ShardFilters.TrySplit(options, Filters())!, maxDegreeOfParallelism: 1, batchSize: 3).CleanAsync(source, root.PathOf("one"), Ct);
        var allCores = await new ShardCleaner(options, ShardFilters.TrySplit(options, Filters())!).CleanAsync(source, root.PathOf("all"), Ct);

        Assert.Equal((91L, 1L), (oneCore.RowsRead, oneCore.BadRows));
        Assert.Equal(oneCore, allCores);
        foreach (var file in CleanedShardFiles.All)
            Assert.Equal(File.ReadAllBytes(root.PathOf("one", file)), File.ReadAllBytes(root.PathOf("all", file)));
    }

    [Fact]
    public void Filters_split_into_per_shard_and_merge_steps_only_when_the_stateful_ones_sign_and_come_last()
    {
        var options = new IngestionOptions { Inputs = [new DatasetInput("a.jsonl")] };

        var split = ShardFilters.TrySplit(options, Filters())!;
        Assert.Equal(["message_length", "quality", "pii"], split.Local.Select(f => f.Name));
        Assert.Equal(["near_duplicates"], split.Deferred.Select(f => f.Name));
        Assert.Equal([128], split.SignatureLengths);
        Assert.Null(ShardFilters.TrySplit(options, [new NearDuplicateExampleFilter(), new QualityExampleFilter()]));
    }

    private static Dictionary<string, byte[]> ReadAll(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllBytes(f));

    public void Dispose()
    {
        root.Dispose();
    }
}

public sealed class NearDuplicateTwoPassTests
{
    private static Pipeline.Data.Example Chat(string id, string user, string assistant) => new()
    {
        Id = id,
        Messages = [new Pipeline.Data.ChatMessage(Pipeline.Data.ChatRoles.User, user), new Pipeline.Data.ChatMessage(Pipeline.Data.ChatRoles.Assistant, assistant)],
    };

    [Fact]
    public void Deciding_on_signatures_makes_the_single_pass_decisions()
    {
        var examples = new[]
        {
            Chat("a", "Where is my kettle?", "The replacement kettle ships from the Leeds warehouse tomorrow before noon."),
            Chat("b", "Where are my points?", "Your loyalty points from March were added to your account today."),
            Chat("c", "where is my kettle", "the replacement kettle ships from the leeds warehouse tomorrow, before noon!"),
        };
        var single = new NearDuplicateExampleFilter();
        var twoPass = new NearDuplicateExampleFilter();
        var signatures = examples.Select(twoPass.Sign).ToList();

        var singleVerdicts = examples.Select(e => single.Apply(e)).Select(v => (v.IsKept, v.Reason, v.Detail)).ToList();
        var twoPassVerdicts = examples.Select((e, i) => twoPass.Decide(e.Id, signatures[i])).Select(d => (d is null, d?.Reason, d?.Detail)).ToList();

        Assert.Equal(singleVerdicts, twoPassVerdicts);
        Assert.Equal([true, true, false], twoPassVerdicts.Select(v => v.Item1));
        Assert.Equal("near-duplicate of example a (estimated Jaccard ≥ 0.8)", twoPassVerdicts[2].Detail);
    }
}
