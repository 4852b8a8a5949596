using Pipeline.Data.Readers;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Readers;

public sealed class FormatDetectorTests
{
    public static TheoryData<string, string, DataFormat, DataContainer> Files => new()
    {
        { "a.jsonl", """{"instruction":"i","output":"o"}""", DataFormat.Alpaca, DataContainer.JsonLines },
        { "s.jsonl", """{"conversations":[{"from":"human","value":"q"},{"from":"gpt","value":"a"}]}""", DataFormat.ShareGpt, DataContainer.JsonLines },
        { "o.json", """{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}""", DataFormat.OpenAi, DataContainer.JsonLines },
        { "p.json", """[{"prompt":"q","chosen":"a","rejected":"b"}]""", DataFormat.Preference, DataContainer.JsonArray },
        { "data.txt", """[{"instruction":"i","output":"o"}]""", DataFormat.Alpaca, DataContainer.JsonArray },
        { "c.csv", "prompt,chosen,rejected\nq,a,b", DataFormat.Preference, DataContainer.Csv },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Each_format_is_detected_from_the_extension_and_first_record(string name, string content, DataFormat format, DataContainer container)
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines(name, content);

        var detected = await FormatDetector.DetectAsync(new DatasetInput(path), TestContext.Current.CancellationToken);

        Assert.Equal(new DetectedFormat(format, container), detected);
    }

    [Fact]
    public async Task Parquet_is_detected_by_its_magic_bytes()
    {
        using var folder = new TempFolder();
        string path = folder.PathOf("noext");
        await using (var stream = File.Create(path))
        {
            var field = new Parquet.Schema.DataField<string>("messages");
            await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(field), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(field, new List<string?> { "[]" });
        }

        var detected = await FormatDetector.DetectAsync(new DatasetInput(path), TestContext.Current.CancellationToken);

        Assert.Equal(new DetectedFormat(DataFormat.OpenAi, DataContainer.Parquet), detected);
    }

    [Fact]
    public async Task A_configured_format_the_first_record_does_not_have_is_an_error_naming_file_expectation_and_finding()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("train.jsonl", """{"instruction":"i","input":"","output":"o"}""");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => FormatDetector.DetectAsync(new DatasetInput(path, DataFormat.ShareGpt)));

        Assert.Equal(
            $"{path}: the format is configured as 'sharegpt', which expects records with a 'conversations' list, " +
            "but the first record (line 1) has keys instruction, input, output, which looks like 'alpaca'.",
            error.Message);
        Assert.Equal(path, error.File);
    }

    [Fact]
    public async Task A_json_format_configured_for_a_csv_file_is_an_error()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("data.csv", "instruction,output", "i,o");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => FormatDetector.DetectAsync(new DatasetInput(path, DataFormat.Alpaca)));

        Assert.Equal(
            $"{path}: the format is configured as 'alpaca', which expects JSON Lines or a JSON array of records with " +
            "'instruction' and 'output' fields (or 'prompt' and 'response'), but the file is text starting with \"instruction,output\" (CSV?).",
            error.Message);
    }

    [Fact]
    public async Task Parquet_configured_for_a_json_file_is_an_error()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("data.parquet", """{"instruction":"i","output":"o"}""");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => FormatDetector.DetectAsync(new DatasetInput(path, DataFormat.Parquet)));

        Assert.Equal($"{path}: the format is configured as 'parquet', which expects a Parquet file (starting with the bytes 'PAR1'), but the file is JSON.", error.Message);
    }

    [Fact]
    public async Task Bad_first_lines_are_skipped_when_detecting()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("x.jsonl", "{oops", """{"messages":[]}""");

        var detected = await FormatDetector.DetectAsync(new DatasetInput(path), TestContext.Current.CancellationToken);

        Assert.Equal(DataFormat.OpenAi, detected.RecordFormat);
    }

    [Fact]
    public async Task Unknown_keys_with_auto_are_an_error_listing_the_known_shapes()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("x.jsonl", """{"question":"q","answer":"a"}""");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => FormatDetector.DetectAsync(new DatasetInput(path)));

        Assert.StartsWith($"{path}: cannot tell the record format from the first record (line 1, keys: question, answer); expected one of alpaca", error.Message);
    }
}
