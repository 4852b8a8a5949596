using Pipeline.Data.Readers;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Readers;

public sealed class ReadPositionTests
{
    public static TheoryData<string, string> Files => new()
    {
        { "a.jsonl", string.Join("\n", TestData.AlpacaLines(6)) + "\n" },
        { "a.json", "[\n" + string.Join(",\n\n", TestData.AlpacaLines(6)) + "\n]" },
        { "a.csv", "instruction,output\n" + string.Join("\n", Enumerable.Range(0, 6).Select(i => $"\"Explain topic {i}.\",\"multi\nline {i}\"")) },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Continuing_from_any_result_position_yields_exactly_the_remaining_records(string name, string content)
    {
        using var folder = new TempFolder();
        string path = folder.Write(name, content);
        var all = await Read.AllAsync(path);
        Assert.Equal(6, all.Examples().Count);

        for (int k = 0; k < all.Count; k++)
        {
            var rest = await Read.AllAsync(path, DataFormat.Auto, all[k].Next);
            Assert.Equal(
                all.Skip(k + 1).Select(r => (r.Example!.Source, r.Example.Transcript())),
                rest.Select(r => (r.Example!.Source, r.Example.Transcript())));
        }
    }
}
