using System.Text.Json.Nodes;
using Pipeline.Configuration;
using Pipeline.Configuration.Feedback;
using Pipeline.Data;
using Pipeline.Training.Datasets;
using Pipeline.Training.Feedback;
using Pipeline.Training.Feedback.HumanRatings;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Feedback;

/// <summary>The human-rater loop: candidates → sheet → filled-in rankings → preference dataset, and the sheets it refuses.</summary>
public sealed class RatingSheetTests
{
    private static readonly IReadOnlyList<CandidatePrompt> Candidates =
    [
        FeedbackCandidates.Of("p1", [new ChatMessage("user", "Greet Ada, please.")], ["Hello Ada!", "Hi.", "Hello Ada!", "Go away"]),
        FeedbackCandidates.Of("p2", [new ChatMessage("system", "Be kind"), new ChatMessage("user", "Say \"thanks\", then stop")], ["Thanks!", "No,\nnever"]),
        FeedbackCandidates.Of("p3", [new ChatMessage("user", "Skip me")], ["a", "b"]),
    ];

    private static readonly FeedbackCandidates.Meta Meta = new("runs/x/sft/model", 1.0, 4, 3, 0.0);

    [Fact]
    public void Identical_samples_are_one_candidate_with_the_id_of_their_first_position()
    {
        Assert.Equal(["p1-r0", "p1-r1", "p1-r3"], Candidates[0].Replies.Select(r => r.Id));
    }

    [Fact]
    public void A_csv_sheet_ranked_by_people_becomes_every_better_over_worse_pair()
    {
        using var folder = new TempFolder();
        var sheet = folder.PathOf("ratings.csv");
        RatingSheet.Write(sheet, Candidates, RatingSheetFormat.Csv);
        var lines = File.ReadAllLines(sheet);
        Assert.Equal("prompt_id,reply_id,rank,prompt,reply", lines[0]);
        Assert.Equal("p1,p1-r0,,user: Greet Ada, please.,Hello Ada!".Replace("user: Greet Ada, please.", "\"user: Greet Ada, please.\""), lines[1]);

        // A person fills in the rank column: p1 ranked r0 > r1 > r3, p2 ranked r0 > r1, p3 left empty.
        var ranks = new Dictionary<string, string> { ["p1-r0"] = "1", ["p1-r1"] = "2", ["p1-r3"] = "3", ["p2-r0"] = "1", ["p2-r1"] = "2" };
        var filled = File.ReadAllText(sheet);
        foreach (var (id, rank) in ranks) filled = filled.Replace($",{id},,", $",{id},{rank},");
        File.WriteAllText(sheet, filled);

        var contents = RatingSheetReader.Read(sheet, Candidates);
        Assert.Equal(1, contents.Skipped);
        Assert.Equal([["p1-r0", "p1-r1", "p1-r3"], ["p2-r0", "p2-r1"]], contents.Rated.Select(r => r.Ranking));

        var output = folder.PathOf("preferences");
        var card = RatingImport.Write(output, contents, Meta, FeedbackPairing.AllPairs, "ratings.csv");
        var pairs = DatasetShards.ReadSplit(output, DatasetShards.Train);
        Assert.Equal(4, card.TrainPairs);   // C(3,2) + C(2,2), all in train (validation_fraction 0)
        Assert.Equal([("Hello Ada!", "Hi."), ("Hello Ada!", "Go away"), ("Hi.", "Go away"), ("Thanks!", "No,\nnever")], pairs.Select(p => (p.Chosen!, p.Rejected!)));
        Assert.Equal(["system", "user"], pairs[3].Messages.Select(m => m.Role));
        Assert.Contains("\"judge\":\"human\"", File.ReadAllText(Path.Combine(output, FeedbackDataset.ProvenanceFile)));
        Assert.Equal([output], Directory.GetFileSystemEntries(folder.Path).Where(Directory.Exists));   // no temporary folder left beside it
    }

    [Fact]
    public void A_jsonl_sheet_with_rankings_best_first_imports_best_vs_worst()
    {
        using var folder = new TempFolder();
        var sheet = folder.PathOf("ratings.jsonl");
        RatingSheet.Write(sheet, Candidates, RatingSheetFormat.Jsonl);
        var rows = File.ReadAllLines(sheet).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal("system: Be kind\nuser: Say \"thanks\", then stop", rows[1]["prompt"]!.GetValue<string>());
        rows[0]["ranking"] = new JsonArray("p1-r3", "p1-r0", "p1-r1");
        rows[1]["ranking"] = new JsonArray("p2-r1", "p2-r0");
        File.WriteAllLines(sheet, rows.Select(r => r.ToJsonString()));

        var contents = RatingSheetReader.Read(sheet, Candidates);
        RatingImport.Write(folder.PathOf("out"), contents, Meta, FeedbackPairing.BestVsWorst, "ratings.jsonl");
        var pairs = DatasetShards.ReadSplit(folder.PathOf("out"), DatasetShards.Train);
        Assert.Equal([("Go away", "Hi."), ("No,\nnever", "Thanks!")], pairs.Select(p => (p.Chosen!, p.Rejected!)));
    }

    public static TheoryData<string, string, string> BadCsv => new()
    {
        // what the person did, the sheet's rows after the header, the message
        { "deleted a row", "p1,p1-r0,1,x,y\np1,p1-r1,2,x,y\np2,p2-r0,,x,y\np2,p2-r1,,x,y\np3,p3-r0,,x,y\np3,p3-r1,,x,y",
          "ratings.csv:2: prompt 'p1' has no row for 'p1-r3' (a missing row); keep every reply's row." },
        { "added a row", "p1,p1-r0,1,x,y\np1,p1-r1,2,x,y\np1,p1-r3,3,x,y\np9,p9-r0,1,x,y",
          "ratings.csv:5: prompt_id 'p9' is not among the candidates (an extra row)." },
        { "typed a reply id", "p1,p1-r0,1,x,y\np1,p1-r7,2,x,y", "ratings.csv:3: reply_id 'p1-r7' is not a reply of prompt 'p1' (its replies: p1-r0, p1-r1, p1-r3)." },
        { "ranked two alike", "p1,p1-r0,1,x,y\np1,p1-r1,2,x,y\np1,p1-r3,2,x,y",
          "ratings.csv:4: prompt 'p1': replies p1-r1 and p1-r3 share rank 2; a tie makes no preference pair: give each reply its own rank." },
        { "ranked only one", "p1,p1-r0,1,x,y\np1,p1-r1,,x,y\np1,p1-r3,,x,y",
          "ratings.csv:2: prompt 'p1': 'p1-r1', 'p1-r3' have no rank; rank all of a prompt's replies or none (to skip it)." },
        { "wrote a word", "p1,p1-r0,best,x,y", "ratings.csv:2: rank 'best' is not a whole number from 1 (best) to 3." },
        { "broke the quoting", "p1,p1-r0,1,\"x\"y,z", "ratings.csv:2: " },
        { "dropped a field", "p1,p1-r0,1,x", "ratings.csv:2: 4 fields, but the header has 5." },
        { "copied a row", "p1,p1-r0,1,x,y\n\"p1\",p1-r0,1,\"x\ny\",z", "ratings.csv:3: reply 'p1-r0' appears again (first on line 2)." },
    };

    [Theory]
    [MemberData(nameof(BadCsv))]
    public void A_bad_csv_sheet_is_refused_naming_the_file_and_line_and_nothing_is_written(string mistake, string rows, string message)
    {
        using var folder = new TempFolder();
        var sheet = folder.PathOf("ratings.csv");
        File.WriteAllText(sheet, "prompt_id,reply_id,rank,prompt,reply\n" + rows + "\n");
        var error = Assert.Throws<RatingSheetException>(() => RatingSheetReader.Read(sheet, Candidates));
        Assert.True(error.Message.StartsWith(sheet.Replace("ratings.csv", "") + message, StringComparison.Ordinal), $"{mistake}: {error.Message}");
    }

    public static TheoryData<string, string, string> BadJsonl => new()
    {
        { "broke a line", "{\"prompt_id\": \"p1\", \"ranking\": [", "ratings.jsonl:1: not a JSON line" },
        { "typed an id", "{\"prompt_id\": \"p1\", \"ranking\": [\"p1-r0\", \"p1-r9\", \"p1-r1\"]}", "ratings.jsonl:1: reply id 'p1-r9' is not a reply of prompt 'p1'" },
        { "ranked one twice", "{\"prompt_id\": \"p1\", \"ranking\": [\"p1-r0\", \"p1-r0\", \"p1-r1\"]}", "ratings.jsonl:1: reply 'p1-r0' is ranked twice" },
        { "left one out", "{\"prompt_id\": \"p1\", \"ranking\": [\"p1-r0\", \"p1-r1\"]}", "ratings.jsonl:1: the ranking leaves out 'p1-r3'" },
        { "wrote ranks as numbers", "{\"prompt_id\": \"p1\", \"ranking\": [1, 2, 3]}", "ratings.jsonl:1: \"ranking\" must be a list of reply ids" },
        { "pasted a prompt twice", "{\"prompt_id\": \"p1\", \"ranking\": []}\n\n{\"prompt_id\": \"p1\", \"ranking\": []}", "ratings.jsonl:3: prompt 'p1' appears again (first on line 1)" },
        { "deleted rows", "{\"prompt_id\": \"p1\", \"ranking\": []}", "ratings.jsonl: 2 prompts have no row ('p2', 'p3')" },
    };

    [Theory]
    [MemberData(nameof(BadJsonl))]
    public void A_bad_jsonl_sheet_is_refused_naming_the_file_and_line(string mistake, string rows, string message)
    {
        using var folder = new TempFolder();
        var sheet = folder.PathOf("ratings.jsonl");
        File.WriteAllText(sheet, rows + "\n");
        var error = Assert.Throws<RatingSheetException>(() => RatingSheetReader.Read(sheet, Candidates));
        Assert.True(error.Message.StartsWith(sheet.Replace("ratings.jsonl", "") + message, StringComparison.Ordinal), $"{mistake}: {error.Message}");
    }

    [Fact]
    public void An_existing_output_folder_is_never_overwritten()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.PathOf("out"));
        var contents = new RatingSheetContents([new RatedPrompt(Candidates[2], ["p3-r0", "p3-r1"])], 0);
        var error = Assert.Throws<IOException>(() => RatingImport.Write(folder.PathOf("out"), contents, Meta, FeedbackPairing.AllPairs, "s.csv"));
        Assert.Contains("already exists", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder.PathOf("out")));
    }
}
