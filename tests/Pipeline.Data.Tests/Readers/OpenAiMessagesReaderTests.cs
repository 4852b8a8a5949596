using Pipeline.Data.Readers;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Readers;

public sealed class OpenAiMessagesReaderTests
{
    [Fact]
    public async Task Messages_are_read_including_content_given_as_text_parts()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("openai.jsonl",
            """{"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"},{"role":"assistant","content":"A"}]}""",
            """{"messages":[{"role":"user","content":[{"type":"text","text":"part one"},{"type":"text","text":"part two"}]},{"role":"assistant","content":"ok"}]}""");

        var examples = (await Read.AllAsync(path, DataFormat.OpenAi)).Examples();

        Assert.Equal("system: S | user: U | assistant: A", examples[0].Transcript());
        Assert.Equal("user: part one\npart two | assistant: ok", examples[1].Transcript());
    }

    [Fact]
    public async Task A_system_turn_after_the_first_position_is_a_row_error()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("openai.jsonl",
            """{"messages":[{"role":"user","content":"U"},{"role":"system","content":"S"},{"role":"assistant","content":"A"}]}""");

        var error = (await Read.AllAsync(path, DataFormat.OpenAi)).Errors().Single();

        Assert.Equal($"{path}:1: invalid_role: 'messages' has a system turn at position 2; a system turn is allowed only first", error.ToString());
    }
}
