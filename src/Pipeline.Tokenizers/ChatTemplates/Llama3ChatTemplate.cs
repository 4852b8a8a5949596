using Pipeline.Data;

namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>
/// Meta Llama 3 Instruct: <c>&lt;|begin_of_text|&gt;</c> once, then
/// <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\n</c> + content + <c>&lt;|eot_id|&gt;</c> per
/// message. Content is whitespace-trimmed, as the official template's <c>| trim</c> filter does.
/// </summary>
public sealed class Llama3ChatTemplate(string beginOfText = "<|begin_of_text|>") : IChatTemplate
{
    private const string EotId = "<|eot_id|>";

    public string BeginOfText { get; } = beginOfText;

    public string Name => "llama3";

    public string EndOfTurnToken => EotId;

    /// <summary>Meta-Llama-3-8B-Instruct's chat_template, verbatim.</summary>
    public string Jinja =>
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    public ChatRendering Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ChatRenderingBuilder.ValidateMessages(messages);
        var builder = new ChatRenderingBuilder();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (i == 0) builder.Prompt(BeginOfText);
            builder.Prompt(Header(message.Role));
            var body = JinjaString.Trim(message.Content) + EotId;
            if (message.Role == ChatRoles.Assistant) builder.Output(body);
            else builder.Prompt(body);
        }
        if (addGenerationPrompt) builder.Prompt(Header(ChatRoles.Assistant));
        return builder.Build();
    }

    private static string Header(string role) => $"<|start_header_id|>{role}<|end_header_id|>\n\n";
}
