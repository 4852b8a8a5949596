using Pipeline.Data.Ingestion.ShardMerge;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Ingestion.ShardMerge;

public sealed class JsonLinesSplitterTests
{
    [Fact]
    public void Ranges_end_after_the_first_newline_past_the_target_and_know_their_first_line()
    {
        using var folder = new TempFolder();
        // Lines of 4, 6, 2, 7 and 3 bytes (newline included): ends at 4, 10, 12, 19, 22.
        var path = folder.Write("a.jsonl", "abc\nabcde\na\nabcdef\nab\n");

        var ranges = JsonLinesSplitter.Split(path, 5);

        // 5 bytes from 0 end after the newline at 9; from 10, byte 14 is past 12's newline, so 18; the last 3 bytes are more than an eighth of 5, so they stay a range.
        Assert.Equal([new InputRange(0, 10, 1), new InputRange(10, 19, 3), new InputRange(19, 22, 5)], ranges);
    }

    [Fact]
    public void A_short_tail_joins_the_range_before_it_and_a_missing_final_newline_is_fine()
    {
        using var folder = new TempFolder();
        var path = folder.Write("a.jsonl", "0123456789\n0123456789\nx");

        Assert.Equal([new InputRange(0, 11, 1), new InputRange(11, 23, 2)], JsonLinesSplitter.Split(path, 10));
        Assert.Equal([new InputRange(0, 23, 1)], JsonLinesSplitter.Split(path, 1000));
    }

    [Fact]
    public void Ranges_cover_the_file_exactly_across_read_buffers()
    {
        using var folder = new TempFolder();
        var lines = Enumerable.Range(0, 40_000).Select(i => new string('x', i % 97) + i).ToArray();
        var path = folder.WriteLines("big.jsonl", lines);
        var bytes = File.ReadAllBytes(path);

        var ranges = JsonLinesSplitter.Split(path, 300_000);

        Assert.True(ranges.Count > 5);
        Assert.Equal(0, ranges[0].Start);
        Assert.Equal(bytes.Length, ranges[^1].End);
        for (int i = 0; i < ranges.Count; i++)
        {
            if (i > 0) Assert.Equal(ranges[i - 1].End, ranges[i].Start);
            Assert.Equal((byte)'\n', bytes[ranges[i].End - 1]);
            // The first line number is one more than the newlines before the range.
            Assert.Equal(1 + bytes.AsSpan(0, (int)ranges[i].Start).Count((byte)'\n'), ranges[i].FirstLine);
            Assert.StartsWith(lines[ranges[i].FirstLine - 1], System.Text.Encoding.UTF8.GetString(bytes, (int)ranges[i].Start, 200));
        }
    }
}
