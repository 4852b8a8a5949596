using Pipeline.Configuration;
using Pipeline.Configuration.Synthesis;
using Pipeline.Data;
using Pipeline.Training.Stages.Synthesis;

namespace Pipeline.Cli.Tests.Synthesis;

/// <summary>Ingestion's cleaning applied to synthetic rows (against the organic rows and each other), the share cap, and provenance in the shard format.</summary>
public sealed class SyntheticRowCleanerTests
{
    private static Example Row(string id, string user, string assistant, bool synthetic = false) => new()
    {
        Id = id, Messages = [new ChatMessage("user", user), new ChatMessage("assistant", assistant)],
        Provenance = synthetic ? new ExampleProvenance("gen", new Dictionary<string, string> { ["mode"] = "full" }) : null,
    };

    private static readonly Example[] Organic =
    [
        Row("o1", "Where is my parcel AC-10? It was due on Monday and the tracking page has not moved since.", "Hello, it left our depot today and arrives tomorrow.\n— Support Team"),
        Row("o2", "How do I change the delivery address of an order that has not shipped yet?", "Hello, open the order, choose Edit address and save.\n— Support Team"),
        Row("o3", "Can I return a parcel that arrived damaged, and who pays for the shipping?", "Hello, yes: we send a free return label within a day.\n— Support Team"),
    ];

    [Fact]
    public void Copies_of_organic_rows_and_of_each_other_are_dropped_by_reason_personal_data_is_scrubbed_and_the_share_is_capped()
    {
        Example[] synthetic =
        [
            Row("s1", Organic[0].Messages[0].Content, Organic[0].Messages[1].Content, true),                                   // exact copy of an organic row
            Row("s2", "Where is my parcel AC-10? It was due on Monday and the tracking page has not moved since!", Organic[0].Messages[1].Content, true), // near copy
            Row("s3", "My invoice shows the wrong company name, can you issue a corrected one to anna.berg@example.com please?", "Hello, a corrected invoice is on its way.\n— Support Team", true),
            Row("s4", "Do you deliver on Saturdays to rural addresses outside the city limits?", "Hello, yes, Saturday delivery reaches every address.\n— Support Team", true),
            Row("s5", "Is there a discount for sending more than fifty parcels a month from my shop?", "Hello, yes: from fifty parcels a month the business rate applies.\n— Support Team", true),
        ];
        var settings = new SynthesisSettings { Seed = 1, MaxSyntheticShare = 0.4 };   // 3 organic rows: at most 2 synthetic (2/5 = 0.4)

        var cleaned = new SyntheticRowCleaner(settings).Clean(Organic, synthetic);

        Assert.Equal(["s3", "s4"], cleaned.Kept.Select(r => r.Id));
        Assert.Equal(new Dictionary<string, int> { [SyntheticRowCleaner.ExactDuplicate] = 1, ["near_duplicate"] = 1, [SyntheticRowCleaner.OverSyntheticShare] = 1 }, cleaned.Dropped);
        Assert.DoesNotContain("anna.berg@example.com", cleaned.Kept[0].Messages[0].Content);
        Assert.Contains("<EMAIL>", cleaned.Kept[0].Messages[0].Content);
        Assert.All(cleaned.Kept, r => Assert.True(r.IsSynthetic));   // cleaning keeps the provenance
    }

    [Fact]
    public void A_synthetic_rows_provenance_is_written_to_the_shard_and_read_back_and_an_old_row_reads_as_organic()
    {
        var row = Row("s1", "Hi?", "Hello.", synthetic: true) with { Provenance = new ExampleProvenance("http://h/v1 model m", new Dictionary<string, string> { ["temperature"] = "0.8", ["mode"] = "full" }) };
        var line = ExampleJson.ToJsonLine(row);
        Assert.Equal("""{"id":"s1","messages":[{"role":"user","content":"Hi?"},{"role":"assistant","content":"Hello."}],"synthetic":true,"provenance":{"generator":"http://h/v1 model m","mode":"full","temperature":"0.8"}}""", line);
        var back = ExampleJson.Parse(line);
        Assert.Equal("http://h/v1 model m", back.Provenance!.Generator);
        Assert.Equal(new Dictionary<string, string> { ["mode"] = "full", ["temperature"] = "0.8" }, back.Provenance.Settings);
        Assert.Equal(line, ExampleJson.ToJsonLine(back));
        Assert.False(ExampleJson.Parse("""{"id":"o","messages":[{"role":"user","content":"Hi?"}]}""").IsSynthetic);
    }
}
