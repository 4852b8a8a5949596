using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using Pipeline.Data.Readers;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Readers;

public sealed class ParquetReaderTests
{
    /// <summary>Writes instruction/input/output rows in row groups of <paramref name="rowGroupSize"/> with Parquet.Net's low-level writer.</summary>
    private static async Task<string> WriteAlpacaParquetAsync(TempFolder folder, int rows, int rowGroupSize)
    {
        string path = folder.PathOf("alpaca.parquet");
        var instruction = new DataField<string>("instruction");
        var input = new DataField<string>("input");
        var output = new DataField<string>("output");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(instruction, input, output), stream);
        for (int start = 0; start < rows; start += rowGroupSize)
        {
            var indices = Enumerable.Range(start, Math.Min(rowGroupSize, rows - start)).ToList();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(instruction, indices.Select(i => $"Question {i}").ToList());
            await group.WriteAsync(input, indices.Select(i => i % 2 == 0 ? null : $"detail {i}").ToList());
            await group.WriteAsync(output, indices.Select(i => $"Answer {i}").ToList());
        }
        return path;
    }

    [Fact]
    public async Task String_columns_are_read_row_group_by_row_group_with_row_numbers()
    {
        using var folder = new TempFolder();
        string path = await WriteAlpacaParquetAsync(folder, rows: 7, rowGroupSize: 3);

        var results = await Read.AllAsync(path);

        var examples = results.Examples();
        Assert.Empty(results.Errors());
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), examples.Select(e => e.Source!.Line));
        Assert.Equal("user: Question 0 | assistant: Answer 0", examples[0].Transcript());
        Assert.Equal("user: Question 5\n\ndetail 5 | assistant: Answer 5", examples[5].Transcript());
    }

    [Fact]
    public async Task Reading_from_a_position_skips_the_rows_already_consumed()
    {
        using var folder = new TempFolder();
        string path = await WriteAlpacaParquetAsync(folder, rows: 7, rowGroupSize: 3);
        var all = await Read.AllAsync(path);

        var rest = await Read.AllAsync(path, DataFormat.Parquet, all[3].Next);

        Assert.Equal([5L, 6L, 7L], rest.Examples().Select(e => e.Source!.Line));
        Assert.Equal(["Answer 4", "Answer 5", "Answer 6"], rest.Examples().Select(e => e.Messages[1].Content));
    }

    [Fact]
    public async Task A_messages_column_of_structs_as_huggingface_writes_it_is_read()
    {
        using var folder = new TempFolder();
        string path = folder.PathOf("chat.parquet");
        var schema = new ParquetSchema(
            new DataField<string>("id"),
            new ListField("messages", new StructField("element", new DataField<string>("role"), new DataField<string>("content"))));
        var rows = new List<IDictionary<string, object?>>
        {
            new Dictionary<string, object?>
            {
                ["id"] = "row-a",
                ["messages"] = new List<Dictionary<string, object?>>
                {
                    new() { ["role"] = "user", ["content"] = "Ping" },
                    new() { ["role"] = "assistant", ["content"] = "Pong" },
                },
            },
        };
        await using (var stream = File.Create(path)) await ParquetSerializer.SerializeUntypedAsync(rows, schema, stream);

        var example = (await Read.AllAsync(path, DataFormat.Parquet)).Examples().Single();

        Assert.Equal(("row-a", "user: Ping | assistant: Pong"), (example.Id, example.Transcript()));
    }
}
