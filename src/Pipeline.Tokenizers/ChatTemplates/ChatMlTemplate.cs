using Pipeline.Data;

namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>
/// ChatML as Qwen uses it: <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message and
/// <c>&lt;|im_start|&gt;assistant\n</c> as the generation prompt. With a <see cref="DefaultSystemPrompt"/>
/// (Qwen2: "You are a helpful assistant.") a system turn is inserted when the conversation does not start
/// with one, exactly where Qwen2's Jinja template inserts it.
/// </summary>
public sealed class ChatMlTemplate(string? defaultSystemPrompt = null) : IChatTemplate
{
    public const string Qwen2DefaultSystemPrompt = "You are a helpful assistant.";
    private const string ImStart = "<|im_start|>";
    private const string ImEnd = "<|im_end|>";

    public string? DefaultSystemPrompt { get; } = defaultSystemPrompt;

    public string Name => DefaultSystemPrompt is null ? "chatml" : "qwen2";

    public string EndOfTurnToken => ImEnd;

    public string Jinja => DefaultSystemPrompt is null
        ? "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
        : "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\n"
          + JinjaString.EscapeSingleQuoted(DefaultSystemPrompt)
          + "<|im_end|>\\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    public ChatRendering Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ChatRenderingBuilder.ValidateMessages(messages);
        var builder = new ChatRenderingBuilder();
        if (DefaultSystemPrompt is not null && messages.Count > 0 && messages[0].Role != ChatRoles.System)
            builder.Prompt($"{ImStart}system\n{DefaultSystemPrompt}{ImEnd}\n");
        foreach (var message in messages)
        {
            if (message.Role == ChatRoles.Assistant)
                builder.Prompt($"{ImStart}assistant\n").Output(message.Content + ImEnd).Prompt("\n");
            else
                builder.Prompt($"{ImStart}{message.Role}\n{message.Content}{ImEnd}\n");
        }
        if (addGenerationPrompt) builder.Prompt($"{ImStart}assistant\n");
        return builder.Build();
    }
}
