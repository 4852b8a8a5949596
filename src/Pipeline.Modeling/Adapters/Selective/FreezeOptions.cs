namespace Pipeline.Modeling.Adapters.Selective;

/// <summary>What the "freeze" method holds fixed; everything else trains.</summary>
public sealed record FreezeOptions
{
    /// <summary>Decoder layers (0-based) whose parameters do not train; empty by default. Freezing the lower layers is the classic choice.</summary>
    public IReadOnlyList<int> Layers { get; init; } = [];

    /// <summary>Freeze the token (and GPT-2's position) embeddings; false by default. With tied embeddings this freezes the output head too.</summary>
    public bool Embeddings { get; init; }

    public void Validate(int numLayers)
    {
        if (Layers.Count == 0 && !Embeddings)
            throw new AdapterConfigException("freeze: neither layers nor embeddings are chosen, so nothing would be frozen; list layers, set embeddings, or use method \"full\".");
        var outOfRange = Layers.Where(i => i < 0 || i >= numLayers).ToList();
        if (outOfRange.Count > 0)
            throw new AdapterConfigException($"freeze: layers: {string.Join(", ", outOfRange)} out of range; the model has layers 0 to {numLayers - 1}.");
    }
}
