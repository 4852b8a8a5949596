using System.Text.Json;
using Pipeline.Data;
using Pipeline.Tokenizers.ChatTemplates;

namespace Pipeline.Tokenizers.Tests;

/// <summary>
/// Renderings by jinja2 in transformers' chat-template environment (scripts/tokenizer-references/make_chat_references.py):
/// the official ChatML, Qwen2 and Llama 3 templates and the project's alpaca template, on conversations with tool,
/// ipython and function messages and a second system message.
/// </summary>
public sealed class ChatReferenceRenderingTests
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "chat-templates");

    private static JsonDocument Reference() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDirectory, "reference_renderings.json")));

    public static TheoryData<int> CaseIndices()
    {
        using var document = Reference();
        var data = new TheoryData<int>();
        for (var i = 0; i < document.RootElement.GetProperty("cases").GetArrayLength(); i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Renders_byte_equal_to_the_jinja_template(int index)
    {
        using var document = Reference();
        var item = document.RootElement.GetProperty("cases")[index];
        var messages = item.GetProperty("messages").EnumerateArray()
            .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))
            .ToList();
        var template = ChatTemplateResolver.FromName(item.GetProperty("template").GetString()!, "</s>");

        var rendering = template.Render(messages, item.GetProperty("add_generation_prompt").GetBoolean());

        Assert.Equal(item.GetProperty("text").GetString(), rendering.Text);
        Assert.Equal(rendering.Text, string.Concat(rendering.Segments.Select(s => s.Text)));
        // Only assistant turns are trained on, whatever other roles appear.
        var assistantTurns = messages.Count(m => m.Role == ChatRoles.Assistant);
        Assert.Equal(assistantTurns, rendering.Segments.Count(s => s.IsAssistantOutput));
    }

    [Theory]
    [InlineData("chatml")]
    [InlineData("qwen2")]
    [InlineData("llama3")]
    public void Jinja_is_the_official_template_the_references_were_rendered_with(string name)
    {
        using var document = Reference();
        Assert.Equal(document.RootElement.GetProperty("templates").GetProperty(name).GetString(), ChatTemplateResolver.FromName(name).Jinja);
    }

    [Fact]
    public void Alpaca_jinja_fixture_is_the_template_the_code_writes()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(FixtureDirectory, "alpaca.jinja")), new AlpacaChatTemplate("</s>").Jinja);
    }
}
