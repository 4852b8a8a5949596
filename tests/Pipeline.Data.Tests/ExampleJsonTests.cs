namespace Pipeline.Data.Tests;

public sealed class ExampleJsonTests
{
    [Fact]
    public void A_preference_pair_is_written_as_one_snake_case_line_without_its_source()
    {
        var example = new Example
        {
            Id = "p1",
            Messages = [new ChatMessage("user", "Café \"quoted\"\nline")],
            Chosen = "Oui",
            Rejected = "Non",
            Source = new SourceLocation("raw.jsonl", 12),
        };

        string line = ExampleJson.ToJsonLine(example);

        Assert.Equal("""{"id":"p1","messages":[{"role":"user","content":"Café \"quoted\"\nline"}],"chosen":"Oui","rejected":"Non"}""", line);
    }

    [Fact]
    public void A_supervised_example_omits_chosen_and_rejected_and_parses_back()
    {
        var example = new Example { Id = "s1", Messages = [new ChatMessage("user", "Q"), new ChatMessage("assistant", "A")] };

        string line = ExampleJson.ToJsonLine(example);
        var parsed = ExampleJson.Parse(line);

        Assert.Equal("""{"id":"s1","messages":[{"role":"user","content":"Q"},{"role":"assistant","content":"A"}]}""", line);
        Assert.Equal(("s1", null, null), (parsed.Id, parsed.Chosen, parsed.Rejected));
        Assert.Equal(example.Messages, parsed.Messages);
    }

    [Fact]
    public void Parsing_a_line_without_messages_names_the_field_and_the_place()
    {
        var error = Assert.Throws<FormatException>(() => ExampleJson.Parse("""{"id":"x"}""", new SourceLocation("train-00000.jsonl", 4)));

        Assert.Equal("train-00000.jsonl:4: missing field 'messages'.", error.Message);
    }
}
