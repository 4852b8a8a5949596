using Pipeline.Data.Cards;
using Pipeline.Data.Readers;

namespace Pipeline.Data.Tests.Cards;

public sealed class DataCardTests
{
    private static DataCard SampleCard()
    {
        var card = new DataCard
        {
            Settings = new DataCardSettings(42, 0.05, 10_000, ["message_length"]),
            Inputs = [new InputSummary { Path = "raw/a.jsonl", Format = "alpaca (JSON Lines)", RowsRead = 4, BadRows = 1, Dropped = 1, Kept = 2 }],
            RowsRead = 4,
            TrainRows = 2,
        };
        card.RecordBadRow(new RowError("raw/a.jsonl", 3, "invalid_json", "invalid JSON: bad | pipe"), maxReported: 5);
        var duplicate = new Example { Id = "d", Messages = [new ChatMessage("user", "Same\nquestion"), new ChatMessage("assistant", "A")], Source = new SourceLocation("raw/a.jsonl", 4) };
        card.RecordDrop("duplicate", "seen before", duplicate, maxExamples: 5);
        card.RecordKept(new Example { Id = "k", Messages = [new ChatMessage("user", new string('x', 60)), new ChatMessage("assistant", "one two")] });
        card.RecordKept(new Example { Id = "k2", Messages = [new ChatMessage("user", "hi")] });
        card.AddCounter("pii.email", 3);
        card.Sections.Add(new DataCardSection("Near duplicates", ["cluster", "rows"], [["c1", "2"]]));
        return card;
    }

    [Fact]
    public void Counts_reasons_and_cites_only_the_first_few_rows()
    {
        var card = new DataCard();
        for (int line = 1; line <= 7; line++) card.RecordBadRow(new RowError("f.jsonl", line, "missing_field", "missing field 'output'"), maxReported: 3);

        Assert.Equal(7, card.BadRows);
        Assert.Equal(7, card.BadRowReasons["missing_field"].Count);
        Assert.Equal([1L, 2L, 3L], card.BadRowReasons["missing_field"].Examples.Select(e => e.Line));
    }

    [Fact]
    public void Lengths_fall_in_fixed_doubling_buckets()
    {
        var card = SampleCard();

        // 60 + 7 = 67 characters → bucket 64–127; 2 characters → bucket 0–63.
        Assert.Equal([1L, 1L, 0L], card.CharacterLengths.Counts.Take(3));
        Assert.Equal("64–127", card.CharacterLengths.Label(1));
        Assert.Equal("16384+", card.CharacterLengths.Label(9));
        // 1 + 2 = 3 tokens and 1 token: both in 0–15.
        Assert.Equal(2, card.WhitespaceTokenLengths.Counts[0]);
    }

    [Fact]
    public void Json_round_trips_in_snake_case_with_ordinal_sorted_keys()
    {
        var card = SampleCard();
        card.AddCounter("Zeta");
        card.AddCounter("alpha");

        string json = card.ToJson();
        var back = DataCard.FromJson(json);

        Assert.Contains("\"rows_read\": 4", json);
        Assert.Contains("\"bad_row_reasons\"", json);
        Assert.Equal(["Zeta", "alpha", "pii.email"], back.Counters.Keys);
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void Markdown_has_readable_tables()
    {
        string markdown = DataCardMarkdown.Render(SampleCard());

        Assert.StartsWith("# Data card\n\n## Summary\n\n|  | rows |\n|---|---|\n| read | 4 |\n| bad (unreadable) | 1 |\n", markdown);
        Assert.Contains("| `raw/a.jsonl` | alpaca (JSON Lines) | 4 | 1 | 1 | 2 |\n", markdown);
        Assert.Contains("| reason | rows | of rows read |\n|---|---|---|\n| `duplicate` | 1 | 25.0% |\n", markdown);
        Assert.Contains("- `raw/a.jsonl:4` seen before — “Same question”\n", markdown);
        Assert.Contains("- `raw/a.jsonl:3` invalid JSON: bad \\| pipe\n", markdown);
        Assert.Contains("| 64–127 | 1 | ██████████████████████████████ |\n", markdown);
        Assert.Contains("| `pii.email` | 3 |\n", markdown);
        Assert.Contains("## Near duplicates\n\n| cluster | rows |\n|---|---|\n| c1 | 2 |\n", markdown);
    }
}
