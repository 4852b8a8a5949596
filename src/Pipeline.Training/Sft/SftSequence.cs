namespace Pipeline.Training.Sft;

/// <summary>
/// One tokenized conversation for SFT, or several packed into one row. <see cref="Labels"/> is aligned with
/// <see cref="InputIds"/> (the model shifts): the token id where the token is assistant output (its
/// end-of-turn token included), -100 elsewhere.
/// </summary>
/// <param name="ExampleLengths">For a packed row, the token count of each conversation in it, in order (see
/// <see cref="SftPacker"/>); null for a single conversation.</param>
public sealed record SftSequence(IReadOnlyList<int> InputIds, IReadOnlyList<long> Labels, IReadOnlyList<int>? ExampleLengths = null)
{
    /// <summary>Tokens the loss is computed on: labels other than -100 after the first position (position 0 is never predicted).</summary>
    /// <remarks>A packed row's every conversation starts with label -100 (see <see cref="SftPacker"/>), so no conversation's first token is counted.</remarks>
    public int TrainableTokens => Labels.Skip(1).Count(l => l != Pipeline.Modeling.CausalLmLoss.IgnoreIndex);

    /// <summary>How many conversations this row holds.</summary>
    public int ExampleCount => ExampleLengths?.Count ?? 1;

    /// <summary>
    /// The row's attention-mask values: 1 for a single conversation, and for a packed row the conversation's
    /// number (1, 2, ...) at each of its tokens, so attention stays within each conversation (see
    /// Pipeline.Modeling.AttentionMasks).
    /// </summary>
    public IEnumerable<long> ExampleNumbers() => ExampleLengths is null
        ? Enumerable.Repeat(1L, InputIds.Count)
        : ExampleLengths.SelectMany((length, index) => Enumerable.Repeat(index + 1L, length));
}
