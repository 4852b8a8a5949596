using Pipeline.Data.Readers;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Readers;

public sealed class MalformedRowTests
{
    [Fact]
    public async Task Bad_json_on_line_3_and_a_missing_field_on_line_5_are_reported_and_the_good_rows_still_come_out()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("alpaca.jsonl",
            """{"instruction":"one","output":"1"}""",
            """{"instruction":"two","output":"2"}""",
            "{\"instruction\":\"three\",\"output\":\"3\"",
            """{"instruction":"four","output":"4"}""",
            """{"instruction":"five"}""",
            """{"instruction":"six","output":6}""",
            """{"instruction":"seven","output":"7"}""");

        var results = await Read.AllAsync(path, DataFormat.Alpaca);

        Assert.Equal(["one", "two", "four", "seven"], results.Examples().Select(e => e.Messages[0].Content));
        var errors = results.Errors();
        Assert.Equal(3, errors.Count);
        Assert.Equal((path, 3L, "invalid_json"), (errors[0].File, errors[0].Line, errors[0].Reason));
        Assert.StartsWith($"{path}:3: invalid_json: invalid JSON: ", errors[0].ToString());
        // The line has 35 characters and ends inside the object: the reader stops just past its end.
        Assert.EndsWith("There is an open JSON object or array that should be closed (line 3, column 36)", errors[0].Detail);
        Assert.Equal($"{path}:5: missing_field: missing field 'output'", errors[1].ToString());
        Assert.Equal($"{path}:6: wrong_type: field 'output' should be a string, found a number", errors[2].ToString());
    }

    [Fact]
    public async Task A_syntax_error_in_a_json_array_is_reported_at_its_element_and_stops_that_file()
    {
        using var folder = new TempFolder();
        string path = folder.Write("alpaca.json", "[\n{\"instruction\":\"a\",\"output\":\"b\"},\n{\"instruction\": nope},\n{\"instruction\":\"c\",\"output\":\"d\"}\n]\n");

        var results = await Read.AllAsync(path);

        Assert.Single(results.Examples());
        var error = results.Errors().Single();
        Assert.Equal((3L, "invalid_json"), (error.Line, error.Reason));
        Assert.EndsWith("the rest of the array cannot be read reliably", error.Detail);
    }
}
