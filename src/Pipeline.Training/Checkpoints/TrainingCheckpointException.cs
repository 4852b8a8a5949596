namespace Pipeline.Training.Checkpoints;

/// <summary>A checkpoint folder is missing a file, is damaged, or belongs to a different run.</summary>
public sealed class TrainingCheckpointException(string message, Exception? inner = null) : Exception(message, inner);
