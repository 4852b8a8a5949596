using Pipeline.Data.Readers;
using Pipeline.Data.Tests.TestSupport;

namespace Pipeline.Data.Tests.Readers;

public sealed class PreferenceReaderTests
{
    [Fact]
    public async Task Explicit_prompt_with_string_replies()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("pairs.jsonl", """{"prompt":"Capital of France?","chosen":"Paris.","rejected":"Lyon."}""");

        var example = (await Read.AllAsync(path, DataFormat.Preference)).Examples().Single();

        Assert.Equal("user: Capital of France?", example.Transcript());
        Assert.Equal("Paris.", example.Chosen);
        Assert.Equal("Lyon.", example.Rejected);
        Assert.True(example.IsPreferencePair);
    }

    [Fact]
    public async Task Prompt_as_messages_and_replies_as_lists_take_the_last_assistant_turn()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("pairs.jsonl",
            """{"prompt":[{"role":"system","content":"Be kind."},{"role":"user","content":"Rate my poem"}],"chosen":[{"role":"user","content":"Rate my poem"},{"role":"assistant","content":"Lovely imagery."}],"rejected":[{"role":"assistant","content":"Bad."}]}""");

        var example = (await Read.AllAsync(path)).Examples().Single();

        Assert.Equal("system: Be kind. | user: Rate my poem", example.Transcript());
        Assert.Equal("Lovely imagery.", example.Chosen);
        Assert.Equal("Bad.", example.Rejected);
    }

    [Fact]
    public async Task Anthropic_hh_transcripts_split_their_shared_prefix_into_the_prompt()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("hh.jsonl",
            """{"chosen":"\n\nHuman: Hi there\n\nAssistant: Hello!\n\nHuman: Tell me a joke\n\nAssistant: Why did the chicken cross the road?","rejected":"\n\nHuman: Hi there\n\nAssistant: Hello!\n\nHuman: Tell me a joke\n\nAssistant: No."}""");

        var example = (await Read.AllAsync(path)).Examples().Single();

        Assert.Equal("user: Hi there | assistant: Hello! | user: Tell me a joke", example.Transcript());
        Assert.Equal("Why did the chicken cross the road?", example.Chosen);
        Assert.Equal("No.", example.Rejected);
    }

    [Fact]
    public async Task Conversations_as_lists_share_a_prefix_and_a_differing_prefix_is_a_row_error()
    {
        using var folder = new TempFolder();
        string path = folder.WriteLines("pairs.jsonl",
            """{"chosen":[{"role":"user","content":"Q"},{"role":"assistant","content":"good"}],"rejected":[{"role":"user","content":"Q"},{"role":"assistant","content":"bad"}]}""",
            """{"chosen":[{"role":"user","content":"Q1"},{"role":"assistant","content":"good"}],"rejected":[{"role":"user","content":"Q2"},{"role":"assistant","content":"bad"}]}""");

        var results = await Read.AllAsync(path, DataFormat.Preference);

        var example = results.Examples().Single();
        Assert.Equal("user: Q", example.Transcript());
        Assert.Equal(("good", "bad"), (example.Chosen, example.Rejected));
        Assert.Equal($"{path}:2: prefix_mismatch: 'chosen' and 'rejected' differ at turn 1; they must share every turn but the last", results.Errors().Single().ToString());
    }
}
