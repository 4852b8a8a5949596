using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Pipeline.Configuration.Validation;

/// <summary>
/// Passes YamlDotNet's parser through, remembering the collections still open. Some malformed inputs
/// (an unclosed <c>[</c>) make YamlDotNet's scanner throw InvalidOperationException with no position;
/// the innermost open collection is then the best place to point a person at.
/// </summary>
internal sealed class PositionTrackingParser(IParser inner) : IParser
{
    private readonly Stack<ParsingEvent> open = new();

    public ParsingEvent? Current => inner.Current;

    /// <summary>The last event read successfully.</summary>
    public ParsingEvent? Last { get; private set; }

    /// <summary>The innermost mapping or sequence that has started but not ended.</summary>
    public ParsingEvent? InnermostOpenCollection => open.Count > 0 ? open.Peek() : null;

    public bool MoveNext()
    {
        if (!inner.MoveNext()) return false;
        var current = inner.Current;
        Last = current;
        switch (current)
        {
            case SequenceStart or MappingStart:
                open.Push(current);
                break;
            case SequenceEnd or MappingEnd when open.Count > 0:
                open.Pop();
                break;
        }
        return true;
    }
}
