namespace Pipeline.Tokenizers;

/// <summary>A piece of text <c>[Start, Start + Length)</c> produced by pre-tokenization.</summary>
internal readonly record struct TextRange(int Start, int Length);

/// <summary>
/// The state of pre-tokenization: the working text, its pieces, and where each working character came from.
/// The working text is the input plus the spaces ByteLevel's <c>add_prefix_space</c> put in front of pieces,
/// so a piece is always a contiguous range of it.
/// </summary>
internal sealed class PreTokenizedText
{
    public PreTokenizedText(string input)
    {
        Text = input;
        SourceIndex = new int[input.Length + 1];
        for (var i = 0; i <= input.Length; i++) SourceIndex[i] = i;
        Ranges = input.Length == 0 ? [] : [new TextRange(0, input.Length)];
    }

    public string Text { get; private set; }

    /// <summary>
    /// For each working character, and one past the end: its index in the input. An inserted space has the
    /// index of the character it precedes, so a token made of it alone covers no input.
    /// </summary>
    public int[] SourceIndex { get; private set; }

    /// <summary>The pieces, in order, none empty.</summary>
    public List<TextRange> Ranges { get; set; }

    /// <summary>
    /// ByteLevel's <c>add_prefix_space</c>, as byte_level.rs applies it: every piece that does not start with a
    /// space gets one (Rust's <c>NormalizedString::prepend</c>, a no-op on an empty piece).
    /// </summary>
    public void PrefixSpaceToEachPiece()
    {
        var needing = Ranges.Count(r => Text[r.Start] != ' ');
        if (needing == 0) return;
        var text = new System.Text.StringBuilder(Text.Length + needing);
        var source = new List<int>(Text.Length + needing + 1);
        var ranges = new List<TextRange>(Ranges.Count);
        var copied = 0;
        foreach (var range in Ranges)
        {
            // Characters between pieces (removed by a Split) are kept so SourceIndex stays aligned.
            Copy(copied, range.Start);
            var start = text.Length;
            if (Text[range.Start] != ' ')
            {
                text.Append(' ');
                source.Add(SourceIndex[range.Start]);
            }
            Copy(range.Start, range.Start + range.Length);
            ranges.Add(new TextRange(start, text.Length - start));
            copied = range.Start + range.Length;
        }
        Copy(copied, Text.Length);
        source.Add(SourceIndex[Text.Length]);
        Text = text.ToString();
        SourceIndex = source.ToArray();
        Ranges = ranges;

        void Copy(int from, int to)
        {
            text.Append(Text, from, to - from);
            for (var i = from; i < to; i++) source.Add(SourceIndex[i]);
        }
    }
}
