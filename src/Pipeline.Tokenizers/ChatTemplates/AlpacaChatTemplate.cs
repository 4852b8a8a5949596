using Pipeline.Data;

namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>
/// The Stanford Alpaca prompt format. Messages map onto it as follows:
/// <list type="bullet">
/// <item>a leading system message replaces the standard preamble;</item>
/// <item>a user message opens <c>### Instruction:</c>; a user message directly after it is the <c>### Input:</c>
/// (and selects the "paired with an input" preamble when it belongs to the first instruction);</item>
/// <item>an assistant message is <c>### Response:\n</c> + content + eos; later turns repeat the pattern after a blank line;</item>
/// <item>a later system message is a paragraph of its own (content + blank line), like the leading one;</item>
/// <item>a tool message is <c>### Input:</c>: it is context for the next response, which is what Alpaca's input is;</item>
/// <item>any other role is an error, in the code and in <see cref="Jinja"/> (<c>raise_exception</c>) alike.</item>
/// </list>
/// The generation prompt <c>### Response:\n</c> is added only after a user turn.
/// </summary>
public sealed class AlpacaChatTemplate(string endOfSequenceToken) : IChatTemplate
{
    public const string PreambleWithoutInput =
        "Below is an instruction that describes a task. Write a response that appropriately completes the request.";

    public const string PreambleWithInput =
        "Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.";

    private const string UnsupportedRole = "The alpaca template renders the roles system, user, assistant and tool; got role ";

    public string Name => "alpaca";

    /// <summary>Alpaca has no turn token: the response ends with the tokenizer's eos.</summary>
    public string EndOfTurnToken { get; } = endOfSequenceToken;

    public string Jinja =>
        "{%- set ns = namespace(rest=messages, prev='') -%}"
        + "{%- if messages and messages[0]['role'] == 'system' -%}{{ messages[0]['content'] + '\\n\\n' }}{%- set ns.rest = messages[1:] -%}"
        + "{%- elif messages|length > 1 and messages[0]['role'] == 'user' and messages[1]['role'] == 'user' -%}{{ '" + PreambleWithInput + "\\n\\n' }}"
        + "{%- else -%}{{ '" + PreambleWithoutInput + "\\n\\n' }}{%- endif -%}"
        + "{%- for message in ns.rest -%}"
        + "{%- if message['role'] == 'user' and ns.prev == 'user' -%}{{ '### Input:\\n' + message['content'] + '\\n\\n' }}"
        + "{%- elif message['role'] == 'user' -%}{{ '### Instruction:\\n' + message['content'] + '\\n\\n' }}"
        + "{%- elif message['role'] == 'assistant' -%}{{ '### Response:\\n' + message['content'] + eos_token }}{%- if not loop.last -%}{{ '\\n\\n' }}{%- endif -%}"
        + "{%- elif message['role'] == 'system' -%}{{ message['content'] + '\\n\\n' }}"
        + "{%- elif message['role'] == 'tool' -%}{{ '### Input:\\n' + message['content'] + '\\n\\n' }}"
        + "{%- else -%}{{ raise_exception('" + UnsupportedRole + "' + message['role']) }}"
        + "{%- endif -%}{%- set ns.prev = message['role'] -%}{%- endfor -%}"
        + "{%- if add_generation_prompt and (not ns.rest or ns.rest[-1]['role'] != 'assistant') -%}{{ '### Response:\\n' }}{%- endif -%}";

    public ChatRendering Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ChatRenderingBuilder.ValidateMessages(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role is not (ChatRoles.System or ChatRoles.User or ChatRoles.Assistant or ChatRoles.Tool))
                throw new ArgumentException($"Message {i} has role '{messages[i].Role}'; the alpaca template renders the roles system, user, assistant and tool.", nameof(messages));
        }
        var builder = new ChatRenderingBuilder();
        var rest = messages.ToList();
        if (rest.Count > 0 && rest[0].Role == ChatRoles.System)
        {
            builder.Prompt(rest[0].Content + "\n\n");
            rest.RemoveAt(0);
        }
        else
        {
            var firstHasInput = rest.Count > 1 && rest[0].Role == ChatRoles.User && rest[1].Role == ChatRoles.User;
            builder.Prompt((firstHasInput ? PreambleWithInput : PreambleWithoutInput) + "\n\n");
        }

        var previousRole = "";
        for (var i = 0; i < rest.Count; i++)
        {
            var message = rest[i];
            switch (message.Role)
            {
                case ChatRoles.System:
                    builder.Prompt(message.Content + "\n\n");
                    break;
                case ChatRoles.Tool:
                    builder.Prompt($"### Input:\n{message.Content}\n\n");
                    break;
                case ChatRoles.User when previousRole == ChatRoles.User:
                    if (i >= 2 && rest[i - 2].Role == ChatRoles.User)
                        throw new ArgumentException("The alpaca template takes an instruction and at most one input per turn; found three user messages in a row.", nameof(messages));
                    builder.Prompt($"### Input:\n{message.Content}\n\n");
                    break;
                case ChatRoles.User:
                    builder.Prompt($"### Instruction:\n{message.Content}\n\n");
                    break;
                default:
                    builder.Prompt("### Response:\n").Output(message.Content + EndOfTurnToken);
                    if (i < rest.Count - 1) builder.Prompt("\n\n");
                    break;
            }
            previousRole = message.Role;
        }
        if (addGenerationPrompt && (rest.Count == 0 || rest[^1].Role != ChatRoles.Assistant)) builder.Prompt("### Response:\n");
        return builder.Build();
    }
}
