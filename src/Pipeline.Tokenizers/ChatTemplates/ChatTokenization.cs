namespace Pipeline.Tokenizers.ChatTemplates;

/// <summary>Token ids of a rendered conversation and, per token, whether SFT trains on it.</summary>
public sealed record TokenizedChat(IReadOnlyList<int> InputIds, IReadOnlyList<bool> TrainableMask);

/// <summary>Tokenizes a <see cref="ChatRendering"/> and carries its segment flags over to tokens.</summary>
public static class ChatTokenization
{
    /// <summary>
    /// Encodes the whole text at once (so tokens are the same as at inference) without adding special tokens
    /// (the template already wrote them, as <c>apply_chat_template</c> does). A token is trainable when its
    /// first character lies in an assistant-output segment; a token that straddles a boundary from prompt
    /// into output therefore counts as prompt.
    /// </summary>
    public static TokenizedChat Tokenize(ITextTokenizer tokenizer, ChatRendering rendering)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(rendering);
        var trainableChar = new bool[rendering.Text.Length];
        var position = 0;
        foreach (var segment in rendering.Segments)
        {
            if (segment.IsAssistantOutput) Array.Fill(trainableChar, true, position, segment.Text.Length);
            position += segment.Text.Length;
        }
        if (position != rendering.Text.Length)
            throw new ArgumentException("The rendering's segments do not add up to its text.", nameof(rendering));

        var tokens = tokenizer.EncodeWithOffsets(rendering.Text);
        var ids = new int[tokens.Count];
        var mask = new bool[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[i] = tokens[i].Id;
            mask[i] = tokens[i].Length > 0 && tokens[i].Start < trainableChar.Length && trainableChar[tokens[i].Start];
        }
        return new TokenizedChat(ids, mask);
    }
}
