namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>
/// A piece of rendered chat text. <see cref="IsAssistantOutput"/> marks what supervised fine-tuning trains on:
/// assistant content and its end-of-turn token; system and user text and role headers are prompt.
/// </summary>
public sealed record ChatSegment(string Text, bool IsAssistantOutput);

/// <summary>The full rendered text and the same text cut into segments (their concatenation is <see cref="Text"/>).</summary>
public sealed record ChatRendering(string Text, IReadOnlyList<ChatSegment> Segments);
