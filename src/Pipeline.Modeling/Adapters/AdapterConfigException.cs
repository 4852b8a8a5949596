namespace Pipeline.Modeling.Adapters;

/// <summary>An adapter configuration or adapter_config.json that cannot be honoured: names the field, the value and what is allowed.</summary>
public sealed class AdapterConfigException(string message) : Exception(message);
