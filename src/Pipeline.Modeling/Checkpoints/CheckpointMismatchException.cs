namespace Pipeline.Modeling.Checkpoints;

/// <summary>A checkpoint whose tensors do not match the model built from its config: lists every offending key.</summary>
public sealed class CheckpointMismatchException(string message) : Exception(message);
