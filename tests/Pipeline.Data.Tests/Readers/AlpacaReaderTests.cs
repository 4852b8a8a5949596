using Pipeline.Data.Readers;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Readers;

public sealed class AlpacaReaderTests
{
    [Fact]
    public async Task Json_lines_become_user_and_assistant_turns_with_input_after_a_blank_line()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("alpaca.jsonl",
            """{"instruction":"Translate to French.","input":"Good morning","output":"Bonjour"}""",
            """{"instruction":"Name a color.","output":"Blue","system":"Be brief.","id":"c-7"}""");

        var results = await Read.AllAsync(path, DataFormat.Alpaca);

        var examples = results.Examples();
        Assert.Equal(2, examples.Count);
        Assert.Equal("user: Translate to French.\n\nGood morning | assistant: Bonjour", examples[0].Transcript());
        Assert.Equal("system: Be brief. | user: Name a color. | assistant: Blue", examples[1].Transcript());
        Assert.Equal("c-7", examples[1].Id);
        Assert.Equal(new SourceLocation(path, 2), examples[1].Source);
        Assert.Null(examples[0].Chosen);
    }

    [Fact]
    public async Task A_record_without_an_id_gets_a_stable_id_from_its_content()
    {
        using var folder = new TempFolder();
        string line = """{"instruction":"Say hi.","output":"Hi!"}""";
        string first = folder.WriteLines("a.jsonl", line);
        string second = folder.WriteLines("b.jsonl", "{not json", line);

        var a = (await Read.AllAsync(first, DataFormat.Alpaca)).Examples().Single();
        var b = (await Read.AllAsync(second, DataFormat.Alpaca)).Examples().Single();

        Assert.Equal(a.Id, b.Id);
        Assert.Matches("^[0-9a-f]{32}$", a.Id);
        Assert.Equal(ExampleHasher.ContentHash(a).ToString("x32"), a.Id);
    }

    [Fact]
    public async Task A_json_array_is_streamed_and_each_element_has_the_line_it_starts_on()
    {
        using var folder = new TempFolder();
        string path = folder.Write("alpaca.json", """
            [
              {
                "instruction": "First",
                "output": "One"
              },
              {"instruction": "Second", "output": "Two"},

              {
                "instruction": "Third", "input": "with input",
                "output": "Three"
              }
            ]
            """);

        var results = await Read.AllAsync(path);

        Assert.Empty(results.Errors());
        Assert.Equal([2L, 6L, 8L], results.Examples().Select(e => e.Source!.Line));
        Assert.Equal("user: Third\n\nwith input | assistant: Three", results.Examples()[2].Transcript());
    }

    [Fact]
    public async Task Prompt_and_response_fields_are_read_as_a_single_turn()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("pr.jsonl", """{"prompt":"2+2?","completion":"4"}""");

        var example = (await Read.AllAsync(path)).Examples().Single();

        Assert.Equal("user: 2+2? | assistant: 4", example.Transcript());
    }
}
