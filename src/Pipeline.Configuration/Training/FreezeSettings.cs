using Pipeline.Configuration.Validation;

namespace Pipeline.Configuration.Training;

/// <summary>Partial fine-tuning: what method freeze keeps fixed.</summary>
public sealed record FreezeSettings
{
    /// <summary>Indices of decoder layers to freeze, default none. Lower layers hold general features.</summary>
    [DistinctItems, Range(0, 100_000)]
    public IReadOnlyList<int> Layers { get; init; } = [];

    /// <summary>Freeze the token embeddings, default true: with little data they overfit first.</summary>
    public bool Embeddings { get; init; } = true;
}
