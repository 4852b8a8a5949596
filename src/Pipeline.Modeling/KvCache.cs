using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Modeling;

/// <summary>
/// Keys and values of the positions seen so far, one pair per layer, each (B, kvHeads, S, headDim) before
/// grouped-query expansion. The cache owns its tensors (they live outside every dispose scope, so a
/// per-step scope does not free them).
/// </summary>
/// <remarks>
/// Two layouts. Growing (<c>new KvCache(layers)</c>): each append concatenates and disposes the old tensors; fine
/// for one prompt pass. Preallocated (<see cref="Preallocate"/>): one (batch capacity, kvHeads, length capacity,
/// headDim) buffer per layer, allocated once and written in place; a forward sees a view of the active rows and
/// the columns written so far. The generator uses it, and moves rows and columns with the internal methods.
/// </remarks>
public sealed class KvCache(int layers) : IDisposable
{
    private readonly Tensor?[] keys = new Tensor?[layers];
    private readonly Tensor?[] values = new Tensor?[layers];
    private readonly long[] lengths = new long[layers];   // preallocated: columns written per layer
    private bool preallocated;
    private bool differentiable;                          // WithPrefix: keeps the graph, owns nothing

    public int Layers => layers;

    /// <summary>Positions cached so far (layer 0's; read it before a forward pass appends to it).</summary>
    public long Length => preallocated ? lengths[0] : keys[0]?.shape[2] ?? 0;

    /// <summary>Preallocated: rows of the buffers in use.</summary>
    internal long ActiveRows { get; private set; }

    /// <summary>Preallocated: columns available per row.</summary>
    public long Capacity => preallocated ? keys[0]!.shape[2] : long.MaxValue;

    /// <summary>A cache written in place: zero-filled (masked columns must hold finite values), (batch, kvHeads, capacity, headDim) per layer.</summary>
    public static KvCache Preallocate(int layers, long batch, long kvHeads, long capacity, long headDim, ScalarType dtype, Device device)
    {
        var cache = new KvCache(layers) { preallocated = true, ActiveRows = batch };
        for (var i = 0; i < layers; i++)
        {
            cache.keys[i] = zeros([batch, kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
            cache.values[i] = zeros([batch, kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
        }
        return cache;
    }

    /// <summary>
    /// A cache for one differentiable forward pass that starts with trainable key/value prefixes (prefix tuning,
    /// (B, kvHeads, n, headDim) per layer): each layer's new keys and values are concatenated after its prefix with
    /// their autograd graph kept (a normal cache detaches them), so gradients reach the prefix and flow through every
    /// token's keys and values as without a cache. The tensors belong to the caller's dispose scope; this cache
    /// neither detaches nor disposes them.
    /// </summary>
    public static KvCache WithPrefix(IReadOnlyList<(Tensor Keys, Tensor Values)> prefix)
    {
        var cache = new KvCache(prefix.Count) { differentiable = true };
        for (var i = 0; i < prefix.Count; i++) (cache.keys[i], cache.values[i]) = prefix[i];
        return cache;
    }

    /// <summary>A preallocated cache shaped like this growing cache's tensors: (batch, kvHeads, capacity, headDim), same dtype and device.</summary>
    internal KvCache PreallocateLike(long batch, long capacity)
    {
        var k = keys[0] ?? throw new InvalidOperationException("The cache is empty; run a forward pass first.");
        return Preallocate(layers, batch, k.shape[1], capacity, k.shape[3], k.dtype, k.device);
    }

    /// <summary>Appends (B, kvHeads, T, headDim) keys and values; returns everything cached for the layer.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        if (preallocated) return Write(layer, newKeys, newValues);
        if (differentiable)
        {
            keys[layer] = keys[layer] is { } k ? cat([k, newKeys], dim: 2) : newKeys;        // (B, kvHeads, S, headDim), graph kept
            values[layer] = values[layer] is { } v ? cat([v, newValues], dim: 2) : newValues;
            return (keys[layer]!, values[layer]!);
        }
        keys[layer] = Concatenate(keys[layer], newKeys);        // (B, kvHeads, S, headDim)
        values[layer] = Concatenate(values[layer], newValues);  // (B, kvHeads, S, headDim)
        return (keys[layer]!, values[layer]!);
    }

    private (Tensor Keys, Tensor Values) Write(int layer, Tensor newKeys, Tensor newValues)
    {
        var (start, added) = (lengths[layer], newKeys.shape[2]);
        if (newKeys.shape[0] != ActiveRows)
            throw new ArgumentException($"The cache holds {ActiveRows} rows; the forward pass brings {newKeys.shape[0]}.");
        if (start + added > Capacity)
            throw new InvalidOperationException($"The cache holds {Capacity} positions per row; this pass needs {start + added}.");
        Rows(keys[layer]!).narrow(2, start, added).copy_(newKeys);
        Rows(values[layer]!).narrow(2, start, added).copy_(newValues);
        lengths[layer] = start + added;
        return (Rows(keys[layer]!).narrow(2, 0, start + added), Rows(values[layer]!).narrow(2, 0, start + added));   // (B, kvHeads, S, headDim) views
    }

    private Tensor Rows(Tensor buffer) => buffer.narrow(0, 0, ActiveRows);

    /// <summary>Preallocated: sets the active rows and the columns every layer has written.</summary>
    internal void SetLayout(long rows, long length)
    {
        ActiveRows = rows;
        Array.Fill(lengths, length);
    }

    /// <summary>Preallocated: copies a growing cache's (n, kvHeads, W, headDim) into rows [row, row + n), columns [column, column + W).</summary>
    internal void CopyFrom(KvCache source, long row, long column)
    {
        for (var i = 0; i < layers; i++)
        {
            var (k, v) = (source.keys[i]!, source.values[i]!);
            keys[i]!.narrow(0, row, k.shape[0]).narrow(2, column, k.shape[2]).copy_(k);
            values[i]!.narrow(0, row, v.shape[0]).narrow(2, column, v.shape[2]).copy_(v);
        }
    }

    /// <summary>Preallocated: keeps the rows at <paramref name="index"/> (in that order) as rows 0 … n − 1, over the first <paramref name="length"/> columns.</summary>
    internal void KeepRows(Tensor index, long length)
    {
        foreach (var buffer in keys.Concat(values))
        {
            using var kept = buffer!.narrow(2, 0, length).index_select(0, index);   // (n, kvHeads, S, headDim) copy
            buffer.narrow(0, 0, kept.shape[0]).narrow(2, 0, length).copy_(kept);
        }
    }

    /// <summary>Preallocated: moves columns [from, from + count) of the first <paramref name="rows"/> rows to start at <paramref name="to"/>.</summary>
    internal void MoveColumns(long rows, long from, long to, long count)
    {
        foreach (var buffer in keys.Concat(values))
        {
            using var moved = buffer!.narrow(0, 0, rows).narrow(2, from, count).clone();   // the ranges may overlap
            buffer.narrow(0, 0, rows).narrow(2, to, count).copy_(moved);
        }
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
        if (differentiable)
        {
            Array.Clear(keys);
            Array.Clear(values);
            return;
        }
        for (var i = 0; i < layers; i++)
        {
            keys[i]?.Dispose();
            values[i]?.Dispose();
            keys[i] = values[i] = null;
        }
    }
}
