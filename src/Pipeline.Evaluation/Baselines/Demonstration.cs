namespace Pipeline.Evaluation.Baselines;

/// <summary>A solved example from the training split: a customer's message and the reply the data holds for it.</summary>
public sealed record Demonstration(string Id, string Question, string Answer);
