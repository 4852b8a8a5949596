namespace Pipeline.Training.Sft;

/// <summary>
/// One tokenized conversation for SFT. <see cref="Labels"/> is aligned with <see cref="InputIds"/> (the model
/// shifts): the token id where the token is assistant output (its end-of-turn token included), -100 elsewhere.
/// </summary>
public sealed record SftSequence(IReadOnlyList<int> InputIds, IReadOnlyList<long> Labels)
{
    /// <summary>Tokens the loss is computed on: labels other than -100 after the first position (position 0 is never predicted).</summary>
    public int TrainableTokens => Labels.Skip(1).Count(l => l != Pipeline.Modeling.CausalLmLoss.IgnoreIndex);
}
