using Pipeline.Data.Readers;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Readers;

public sealed class CsvReaderTests
{
    [Fact]
    public async Task Quoted_fields_keep_commas_quotes_and_newlines_and_each_record_has_its_first_line()
    {
        using var folder = new TempFolder();
        string path = folder.Write("data.csv",
            "instruction,input,output\r\n" +
            "\"Summarize, briefly\",,\"He said \"\"hi\"\".\"\r\n" +
            "\"Write a poem\",\"about\nthe sea\",\"Waves\nand\nfoam\"\r\n" +
            "Plain,text,here\r\n");

        var results = await Read.AllAsync(path);

        Assert.Empty(results.Errors());
        var examples = results.Examples();
        Assert.Equal([2L, 3L, 7L], examples.Select(e => e.Source!.Line));
        Assert.Equal("user: Summarize, briefly | assistant: He said \"hi\".", examples[0].Transcript());
        Assert.Equal("user: Write a poem\n\nabout\nthe sea | assistant: Waves\nand\nfoam", examples[1].Transcript());
        Assert.Equal("user: Plain\n\ntext | assistant: here", examples[2].Transcript());
    }

    [Fact]
    public void The_tokenizer_splits_rfc4180_fields()
    {
        var fields = new List<string>();

        Assert.True(CsvTokenizer.TryParseFields("a,\"b,c\",\"d\"\"e\",,"u8, fields, out _));
        Assert.Equal(["a", "b,c", "d\"e", "", ""], fields);

        Assert.True(CsvTokenizer.TryParseFields("5\" screen,x"u8, fields, out _));
        Assert.Equal(["5\" screen", "x"], fields);

        Assert.False(CsvTokenizer.TryParseFields("\"open,x"u8, fields, out var unclosed));
        Assert.Equal("quoted field 1 is not closed (a '\"' is missing)", unclosed);

        Assert.False(CsvTokenizer.TryParseFields("\"a\"b,c"u8, fields, out var junk));
        Assert.Equal("unexpected 'b' after the closing quote of field 1", junk);
    }

    [Fact]
    public async Task Prompt_response_prompt_chosen_rejected_and_messages_columns_are_recognized()
    {
        using var folder = new TempFolder();
        string promptResponse = folder.WriteLines("pr.csv", "Prompt,Response", "Hi,Hello");
        string preference = folder.WriteLines("pref.csv", "prompt,chosen,rejected", "Q,good,bad");
        string messages = folder.WriteLines("msgs.csv", "id,messages",
            "m1,\"[{\"\"role\"\":\"\"user\"\",\"\"content\"\":\"\"Q\"\"},{\"\"role\"\":\"\"assistant\"\",\"\"content\"\":\"\"A\"\"}]\"");

        var a = (await Read.AllAsync(promptResponse, DataFormat.Csv)).Examples().Single();
        var b = (await Read.AllAsync(preference, DataFormat.Csv)).Examples().Single();
        var c = (await Read.AllAsync(messages, DataFormat.Csv)).Examples().Single();

        Assert.Equal("user: Hi | assistant: Hello", a.Transcript());
        Assert.Equal(("user: Q", "good", "bad"), (b.Transcript(), b.Chosen, b.Rejected));
        Assert.Equal(("m1", "user: Q | assistant: A"), (c.Id, c.Transcript()));
    }

    [Fact]
    public async Task Malformed_records_are_row_errors_with_their_line_and_reading_goes_on()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("data.csv",
            "prompt,response",
            "ok,fine",
            "too,many,fields",
            "\"bad\"x,y",
            "again,good");

        var results = await Read.AllAsync(path);

        Assert.Equal(["ok", "again"], results.Examples().Select(e => e.Messages[0].Content));
        Assert.Equal(
        [
            $"{path}:3: column_count: the record has 3 fields but the header has 2 columns",
            $"{path}:4: invalid_csv: unexpected 'x' after the closing quote of field 1",
        ], results.Errors().Select(e => e.ToString()));
    }

    [Fact]
    public async Task Columns_matching_no_layout_are_a_format_error_naming_the_columns()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("odd.csv", "question,answer", "a,b");

        var error = await Assert.ThrowsAsync<DataFormatException>(() => Read.AllAsync(path));

        Assert.Equal($"{path}: the columns [question, answer] match no known layout; expected instruction/input/output, prompt/response (or completion), prompt/chosen/rejected, chosen/rejected, or a messages (or conversations) column.", error.Message);
    }
}
