using Pipeline.Data.Readers;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Readers;

public sealed class ShareGptReaderTests
{
    [Fact]
    public async Task Conversations_map_human_gpt_and_system_turns()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("chat.jsonl",
            """{"conversations":[{"from":"system","value":"You help."},{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello!"},{"from":"human","value":"Bye"},{"from":"gpt","value":"Goodbye."}]}""",
            """{"id":"x1","conversations":[{"role":"user","content":"Q"},{"role":"assistant","content":"A"}]}""");

        var examples = (await Read.AllAsync(path, DataFormat.ShareGpt)).Examples();

        Assert.Equal("system: You help. | user: Hi | assistant: Hello! | user: Bye | assistant: Goodbye.", examples[0].Transcript());
        Assert.Equal("user: Q | assistant: A", examples[1].Transcript());
        Assert.Equal("x1", examples[1].Id);
    }

    [Fact]
    public async Task Unknown_roles_empty_conversations_and_missing_replies_are_row_errors()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("chat.jsonl",
            """{"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello"}]}""",
            """{"conversations":[{"from":"tool","value":"{}"}]}""",
            """{"conversations":[]}""",
            """{"conversations":[{"from":"human","value":"Anyone?"}]}""");

        var results = await Read.AllAsync(path, DataFormat.ShareGpt);

        Assert.Single(results.Examples());
        Assert.Equal(
        [
            $"{path}:2: invalid_role: item 1 of 'conversations' has role 'tool'; allowed: system, user (alias human), assistant (alias gpt)",
            $"{path}:3: empty_conversation: 'conversations' has no turns",
            $"{path}:4: no_assistant_turn: 'conversations' has no assistant turn to learn from",
        ], results.Errors().Select(e => e.ToString()));
    }
}
