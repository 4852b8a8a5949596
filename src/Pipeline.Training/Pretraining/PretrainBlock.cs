namespace Pipeline.Training.Pretraining;

/// <summary>One training row of next-token prediction: a window of the tokenized corpus.</summary>
public sealed record PretrainBlock(int[] Tokens);
