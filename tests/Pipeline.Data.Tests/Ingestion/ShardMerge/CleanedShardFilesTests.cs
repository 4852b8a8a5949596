using System.Text;
using Pipeline.Data.Cards;
using Pipeline.Data.Ingestion.ShardMerge;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Ingestion.ShardMerge;

public sealed class CleanedShardFilesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ShardRow Row(string id, long line, ulong seed) =>
        new(id, line, ((UInt128)seed << 64) | 7, ((UInt128)seed << 64) | 8, 10 + (long)seed, 2, Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}\n"), [[seed, seed + 1, seed + 2]]);

    [Fact]
    public async Task Rows_and_lines_read_back_in_order_with_hashes_signatures_and_lengths()
    {
        using var folder = new TempFolder();
        using (var writer = new CleanedShardWriter(folder.Path, [3]))
        {
            writer.Add(Row("a", 5, 1));
            writer.Add(Row("é-b", 9, 2));
            writer.Finish(new DataCard { RowsRead = 4 });
        }

        await using var reader = CleanedShardReader.Open(File.OpenRead(folder.PathOf("rows.bin")), File.OpenRead(folder.PathOf("examples.jsonl")), "shard");
        var first = await reader.ReadAsync(Ct);
        Assert.Equal(("a", 5L, ((UInt128)1 << 64) | 7, 11L, 2L, "{\"id\":\"a\"}\n"), (first!.Id, first.Line, first.Hash, first.Characters, first.Tokens, Encoding.UTF8.GetString(first.Json.Span)));
        Assert.Equal(((UInt128)1 << 64) | 8, first.SplitKey);
        Assert.Equal([1UL, 2, 3], first.Signatures.Single());
        var second = await reader.ReadAsync(Ct);
        Assert.Equal(("é-b", 9L, "{\"id\":\"é-b\"}\n"), (second!.Id, second.Line, Encoding.UTF8.GetString(second.Json.Span)));
        Assert.Null(await reader.ReadAsync(Ct));
        Assert.Equal(4, DataCard.FromJson(File.ReadAllText(folder.PathOf("card.json"))).RowsRead);
    }

    [Fact]
    public async Task Lines_that_do_not_match_the_rows_are_an_error_naming_the_shard()
    {
        using var folder = new TempFolder();
        using (var writer = new CleanedShardWriter(folder.Path, [3]))
        {
            writer.Add(Row("a", 5, 1));
            writer.Finish(new DataCard());
        }
        File.AppendAllText(folder.PathOf("examples.jsonl"), "{\"id\":\"extra\"}\n");

        await using var reader = CleanedShardReader.Open(File.OpenRead(folder.PathOf("rows.bin")), File.OpenRead(folder.PathOf("examples.jsonl")), "runs/x/shards/00003");
        Assert.NotNull(await reader.ReadAsync(Ct));
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadAsync(Ct));
        Assert.Equal("runs/x/shards/00003/examples.jsonl has more lines than rows.bin has rows.", error.Message);
    }

    [Fact]
    public void A_row_with_a_signature_of_another_length_is_refused()
    {
        using var folder = new TempFolder();
        using var writer = new CleanedShardWriter(folder.Path, [4]);

        var error = Assert.Throws<ArgumentException>(() => writer.Add(Row("a", 5, 1)));
        Assert.Equal("Row 'a' has signatures of lengths [3]; this shard holds [4].", error.Message);
    }
}
