using Pipeline.Data.Cards;
using Pipeline.Data.Readers;

namespace Pipeline.Data.Tests.Cards;

public sealed class EmptyDatasetReportTests
{
    private static Example At(string file, long line) => new()
    {
        Id = $"{file}:{line}", Messages = [new ChatMessage(ChatRoles.User, "Hi"), new ChatMessage(ChatRoles.Assistant, "Hello")],
        Source = new SourceLocation(file, line),
    };

    [Fact]
    public void A_card_with_kept_rows_needs_no_report()
    {
        Assert.Null(EmptyDatasetReport.Describe(new DataCard { RowsRead = 3, TrainRows = 1 }));
    }

    [Fact]
    public void The_most_frequent_reasons_come_first_with_counts_and_their_first_file_and_line()
    {
        var card = new DataCard { Inputs = [new InputSummary { Path = "a.jsonl", Format = "alpaca" }] };
        for (int line = 1; line <= 3; line++) card.RecordBadRow(new RowError("a.jsonl", line, RowErrorReasons.InvalidJson, "invalid JSON: broken"), 5);
        for (int line = 4; line <= 8; line++) card.RecordDrop("too_short", "1 token, fewer than 2", At("a.jsonl", line), 5);
        card.RecordDrop("refusal_only", "the reply only refuses", At("a.jsonl", 9), 5);
        card.RecordBadRow(new RowError("a.jsonl", 10, RowErrorReasons.InvalidUtf8, "not valid UTF-8 (byte 0xE9 at column 3); save the file as UTF-8"), 5);
        card.RowsRead = 10;

        var report = EmptyDatasetReport.Describe(card);

        Assert.Equal(
            "the ingest kept no rows: all 10 rows read from a.jsonl were dropped or unreadable (4 unreadable, 6 dropped). Top reasons:\n" +
            "  - too_short (dropped): 5 rows; first at a.jsonl:4: 1 token, fewer than 2\n" +
            "  - invalid_json (unreadable): 3 rows; first at a.jsonl:1: invalid JSON: broken\n" +
            "  - invalid_utf8 (unreadable): 1 row; first at a.jsonl:10: not valid UTF-8 (byte 0xE9 at column 3); save the file as UTF-8\n" +
            "  (1 less frequent reason not shown)\n" +
            "Fix the rows at those lines, or the ingest settings that drop them.",
            report);
    }

    [Fact]
    public void Inputs_without_records_say_so()
    {
        var card = new DataCard { Inputs = [new InputSummary { Path = "empty.jsonl", Format = "alpaca" }] };

        Assert.Equal("the ingest kept no rows: the inputs (empty.jsonl) hold no records; check the paths and that the files are not empty.", EmptyDatasetReport.Describe(card));
    }
}
