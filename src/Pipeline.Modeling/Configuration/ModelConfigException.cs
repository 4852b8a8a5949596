namespace Pipeline.Modeling.Configuration;

/// <summary>A config.json the model code cannot honour: names the file, the field, the value and what is supported.</summary>
public sealed class ModelConfigException(string message) : Exception(message);
