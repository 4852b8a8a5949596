using System.Text;
using Pipeline.Data;

namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>Accumulates segments, joining neighbours with the same trainable flag.</summary>
internal sealed class ChatRenderingBuilder
{
    private readonly List<ChatSegment> _segments = [];
    private readonly StringBuilder _text = new();

    public ChatRenderingBuilder Prompt(string text) => Add(text, false);

    public ChatRenderingBuilder Output(string text) => Add(text, true);

    private ChatRenderingBuilder Add(string text, bool trainable)
    {
        if (text.Length == 0) return this;
        _text.Append(text);
        if (_segments.Count > 0 && _segments[^1].IsAssistantOutput == trainable)
            _segments[^1] = _segments[^1] with { Text = _segments[^1].Text + text };
        else
            _segments.Add(new ChatSegment(text, trainable));
        return this;
    }

    public ChatRendering Build() => new(_text.ToString(), _segments.ToArray());

    /// <summary>
    /// Rejects what no template can render: a null message, an empty role, null content. Roles are otherwise free,
    /// as in the official Jinja templates, which print whatever role a message has (tool, ipython, ...).
    /// </summary>
    public static void ValidateMessages(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new ArgumentException($"Message {i} is null.", nameof(messages));
            if (string.IsNullOrEmpty(message.Role)) throw new ArgumentException($"Message {i} has no role.", nameof(messages));
            if (message.Content is null) throw new ArgumentException($"Message {i} ({message.Role}) has null content.", nameof(messages));
        }
    }
}
