using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling;

/// <summary>
/// Keys and values of the positions seen so far, one pair per layer, each (B, kvHeads, S, headDim) before
/// grouped-query expansion. The cache owns its tensors (they live outside every dispose scope, so a
/// per-step scope does not free them); each append replaces them and disposes the old ones.
/// </summary>
public sealed class KvCache(int layers) : IDisposable
{
    private readonly Tensor?[] keys = new Tensor?[layers];
    private readonly Tensor?[] values = new Tensor?[layers];

    public int Layers => layers;

    /// <summary>Positions cached so far (layer 0's; read it before a forward pass appends to it).</summary>
    public long Length => keys[0]?.shape[2] ?? 0;

    /// <summary>Appends (B, kvHeads, T, headDim) keys and values; returns everything cached for the layer.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        keys[layer] = Concatenate(keys[layer], newKeys);        // (B, kvHeads, S, headDim)
        values[layer] = Concatenate(values[layer], newValues);  // (B, kvHeads, S, headDim)
        return (keys[layer]!, values[layer]!);
    }

    private static Tensor Concatenate(Tensor? cached, Tensor added)
    {
        var combined = cached is null ? added.detach() : cat([cached, added.detach()], dim: 2);
        combined.DetachFromDisposeScope();
        cached?.Dispose();
        return combined;
    }

    public void Dispose()
    {
        for (var i = 0; i < layers; i++)
        {
            keys[i]?.Dispose();
            values[i]?.Dispose();
            keys[i] = values[i] = null;
        }
    }
}
