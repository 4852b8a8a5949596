using System.Text;
using Pipeline.Data.Readers;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Readers;

/// <summary>Files saved in Latin-1 (or any non-UTF-8 encoding): each bad record is a counted bad row naming file, line and column.</summary>
public sealed class EncodingTests
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    private static string WriteLatin1(TempFolder folder, string name, string content)
    {
        string path = folder.PathOf(name);
        File.WriteAllBytes(path, Latin1.GetBytes(content));
        return path;
    }

    [Fact]
    public async Task A_latin1_json_lines_record_is_a_bad_row_naming_line_byte_and_column()
    {
        using var folder = new TempFolder();
        string path = WriteLatin1(folder, "latin1.jsonl",
            "{\"instruction\": \"Café\", \"output\": \"Bien sûr\"}\n" +
            "{\"instruction\": \"Tea\", \"output\": \"Sure\"}\n");

        var results = await Read.AllAsync(path, DataFormat.Alpaca);

        var error = Assert.Single(results.Errors());
        Assert.Equal(RowErrorReasons.InvalidUtf8, error.Reason);
        Assert.Equal(1, error.Line);
        Assert.Equal("not valid UTF-8 (byte 0xE9 at column 21); save the file as UTF-8", error.Detail);
        Assert.Equal($"{path}:1: not valid UTF-8 (byte 0xE9 at column 21); save the file as UTF-8", $"{error.File}:{error.Line}: {error.Detail}");
        Assert.Equal("user: Tea | assistant: Sure", Assert.Single(results.Examples()).Transcript());
    }

    [Fact]
    public async Task A_latin1_json_array_element_is_reported_at_the_line_of_the_bad_byte()
    {
        using var folder = new TempFolder();
        string path = WriteLatin1(folder, "latin1.json", "[\n  {\"instruction\": \"Tea\",\n   \"output\": \"Très bien\"}\n]\n");

        var results = await Read.AllAsync(path, DataFormat.Alpaca);

        var error = Assert.Single(results.Errors());
        Assert.Equal(RowErrorReasons.InvalidUtf8, error.Reason);
        Assert.Equal(3, error.Line);
        Assert.Equal("not valid UTF-8 (byte 0xE8 at column 17); save the file as UTF-8", error.Detail);
    }

    [Fact]
    public async Task A_latin1_csv_record_is_a_bad_row_and_a_latin1_header_fails_the_file()
    {
        using var folder = new TempFolder();
        string rows = WriteLatin1(folder, "latin1.csv", "instruction,output\nCafé,Oui\nTea,Sure\n");
        string header = WriteLatin1(folder, "header.csv", "instruction,output,données\nTea,Sure,x\n");

        var results = await Read.AllAsync(rows, DataFormat.Csv);
        var error = Assert.Single(results.Errors());
        Assert.Equal((RowErrorReasons.InvalidUtf8, 2L), (error.Reason, error.Line));
        Assert.Equal("not valid UTF-8 (byte 0xE9 at column 4); save the file as UTF-8", error.Detail);
        Assert.Single(results.Examples());

        var failure = await Assert.ThrowsAsync<DataFormatException>(() => Read.AllAsync(header, DataFormat.Csv));
        Assert.Equal($"{header}: the CSV header on line 1 is not valid UTF-8 (byte 0xE9 at column 24); save the file as UTF-8.", failure.Message);
    }
}
