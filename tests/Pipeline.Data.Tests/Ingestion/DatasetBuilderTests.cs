using Pipeline.Data.Cards;
using Pipeline.Data.Filters;
using Pipeline.Data.Ingestion;
using Pipeline.Data.Readers;
using Pipeline.Data.Sinks;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Ingestion;

public sealed class DatasetBuilderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// alpaca.jsonl: 6 lines — 2 good, bad JSON (line 3), a duplicate of line 1 up to whitespace (line 4), an empty
    /// output (line 5), a good one (line 6). pairs.csv: 2 records — a good pair and a missing field.
    /// </summary>
    private static IngestionOptions WriteInputs(TempFolder folder)
    {
        string alpaca = folder.WriteLines("in/alpaca.jsonl",
            """{"instruction":"Name a fruit.","output":"Apple."}""",
            """{"instruction":"Name a planet.","output":"Mars."}""",
            """{"instruction":"broken""",
            """{"instruction":"  Name   a fruit.\r\n","output":"Apple.  "}""",
            """{"instruction":"Say nothing.","output":"   "}""",
            """{"instruction":"Name a metal.","output":"Iron."}""");
        string pairs = folder.Write("in/pairs.csv", "prompt,chosen,rejected\nGreet me,Hello!,Go away.\n");
        return new IngestionOptions
        {
            Inputs = [new DatasetInput(alpaca), new DatasetInput(pairs, DataFormat.Csv)],
            ValidationFraction = 0,
            ShardSize = 2,
        };
    }

    [Fact]
    public async Task Rows_flow_through_normalize_filter_dedup_split_into_shards_and_a_data_card()
    {
        using var folder = new TempFolder();
        var options = WriteInputs(folder);
        var sink = new FolderDatasetSink(folder.PathOf("out"));

        var result = await new DatasetBuilder(options, sink).RunAsync(ct: Ct);

        Assert.True(result.Completed);
        var card = result.Card;
        Assert.Equal((7L, 1L, 2L, 4L, 0L), (card.RowsRead, card.BadRows, card.DroppedRows, card.TrainRows, card.ValidationRows));
        Assert.Equal(["duplicate", "empty_message"], card.Drops.Keys);
        Assert.Equal($"{options.Inputs[0].Path}:4", $"{card.Drops["duplicate"].Examples[0].File}:{card.Drops["duplicate"].Examples[0].Line}");
        Assert.Equal("Name a fruit.", card.Drops["duplicate"].Examples[0].Excerpt);
        Assert.Equal(3, card.BadRowReasons["invalid_json"].Examples[0].Line);
        Assert.Equal((6L, 1L, 2L, 3L), (card.Inputs[0].RowsRead, card.Inputs[0].BadRows, card.Inputs[0].Dropped, card.Inputs[0].Kept));
        Assert.Equal("preference (CSV columns)", card.Inputs[1].Format);
        // Line 4 (spaces, CRLF) and line 5 (a blank reply) were changed by normalization.
        Assert.Equal(2, card.Counters[IngestionRun.NormalizationCounter]);

        // Shards of 2 rows: fruit+planet, metal+the pair.
        Assert.Equal(["train-00000.jsonl", "train-00001.jsonl", "data_card.json", "data_card.md"], result.Files);
        string fruitId = ExampleHasher.DerivedId([new ChatMessage("user", "Name a fruit."), new ChatMessage("assistant", "Apple.")], null, null);
        var first = File.ReadAllLines(folder.PathOf("out/train-00000.jsonl"));
        Assert.Equal(2, first.Length);
        Assert.Equal($$"""{"id":"{{fruitId}}","messages":[{"role":"user","content":"Name a fruit."},{"role":"assistant","content":"Apple."}]}""", first[0]);
        Assert.Equal("Name a planet.", ExampleJson.Parse(first[1]).Messages[0].Content);
        var second = File.ReadAllLines(folder.PathOf("out/train-00001.jsonl")).Select(l => ExampleJson.Parse(l)).ToList();
        Assert.Equal(["Name a metal.", "Greet me"], second.Select(e => e.Messages[0].Content));
        Assert.Equal(("Hello!", "Go away."), (second[1].Chosen, second[1].Rejected));
        Assert.Equal(card.ToJson() + "\n", File.ReadAllText(folder.PathOf("out/data_card.json")));
        Assert.Equal(DataCardMarkdown.Render(card), File.ReadAllText(folder.PathOf("out/data_card.md")));
    }

    [Fact]
    public async Task Plugged_in_filters_drop_with_their_reason_and_add_counters()
    {
        using var folder = new TempFolder();
        var options = WriteInputs(folder);

        var result = await new DatasetBuilder(options, new FolderDatasetSink(folder.PathOf("out")), [new NoPlanetsFilter()]).RunAsync(ct: Ct);

        Assert.Equal(1, result.Card.Drops["mentions_planet"].Count);
        Assert.Equal("the user turn mentions a planet", result.Card.Drops["mentions_planet"].Examples[0].Detail);
        // The length filter runs first, so the empty reply never reaches this filter: 7 read − 1 bad − 1 empty.
        Assert.Equal(5, result.Card.Counters["planets.checked"]);
        Assert.Equal(["message_length", "no_planets"], result.Card.Settings!.Filters);
    }

    [Fact]
    public async Task A_misconfigured_input_fails_before_anything_is_written()
    {
        using var folder = new TempFolder();
        var options = WriteInputs(folder);
        options = options with { Inputs = [options.Inputs[0], options.Inputs[1] with { Format = DataFormat.ShareGpt }] };

        var error = await Assert.ThrowsAsync<DataFormatException>(() => new DatasetBuilder(options, new FolderDatasetSink(folder.PathOf("out"))).RunAsync(ct: Ct));

        Assert.Contains("pairs.csv: the format is configured as 'sharegpt'", error.Message);
        Assert.False(Directory.Exists(folder.PathOf("out")));
    }

    [Fact]
    public async Task Progress_ends_with_every_byte_read()
    {
        using var folder = new TempFolder();
        var options = WriteInputs(folder);
        var reports = new List<IngestionProgress>();

        await new DatasetBuilder(options, new FolderDatasetSink(folder.PathOf("out"))).RunAsync(progress: new SynchronousProgress(reports.Add), ct: Ct);

        long total = options.Inputs.Sum(i => new FileInfo(i.Path).Length);
        Assert.All(reports, r => Assert.Equal(total, r.TotalBytes));
        Assert.Equal(total, reports[^1].BytesRead);
        Assert.Equal(reports.Select(r => r.BytesRead).Order(), reports.Select(r => r.BytesRead));
    }

    [Fact]
    public void Invalid_options_name_each_problem()
    {
        var options = new IngestionOptions { Inputs = [], ValidationFraction = 1.5, ShardSize = 0 };

        var error = Assert.Throws<ArgumentException>(() => new DatasetBuilder(options, new DelegateDatasetSink(_ => Stream.Null)));

        Assert.Equal("Invalid ingestion options: inputs: at least one input file is required; validation_fraction is 1.5; allowed: 0 <= value < 1; shard_size is 0; allowed: at least 1 row.", error.Message);
    }

    private sealed class NoPlanetsFilter : IExampleFilter
    {
        public string Name => "no_planets";

        public ExampleVerdict Apply(Example example)
        {
            var verdict = example.Messages[0].Content.Contains("planet", StringComparison.Ordinal)
                ? ExampleVerdict.Drop("mentions_planet", "the user turn mentions a planet")
                : ExampleVerdict.Keep(example);
            return verdict.WithCounter("planets.checked");
        }
    }
}

/// <summary>IProgress that reports inline (Progress&lt;T&gt; posts to the thread pool, which makes tests racy).</summary>
public sealed class SynchronousProgress(Action<IngestionProgress> report) : IProgress<IngestionProgress>
{
    public void Report(IngestionProgress value) => report(value);
}
