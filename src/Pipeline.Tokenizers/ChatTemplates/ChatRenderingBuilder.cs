using System.Text;
using Pipeline.Data;

namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>Accumulates segments, joining neighbours with the same trainable flag.</summary>
internal sealed class ChatRenderingBuilder
{
    private readonly List<ChatSegment> segments = [];
    private readonly StringBuilder text = new();

    public ChatRenderingBuilder Prompt(string text) => Add(text, false);

    public ChatRenderingBuilder Output(string text) => Add(text, true);

    private ChatRenderingBuilder Add(string text, bool trainable)
    {
        if (text.Length == 0) return this;
        this.text.Append(text);
        if (this.segments.Count > 0 && this.segments[^1].IsAssistantOutput == trainable)
            this.segments[^1] = this.segments[^1] with { Text = this.segments[^1].Text + text };
        else
            this.segments.Add(new ChatSegment(text, trainable));
        return this;
    }

    public ChatRendering Build() => new(this.text.ToString(), this.segments.ToArray());

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
