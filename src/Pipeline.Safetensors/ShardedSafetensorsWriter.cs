namespace Pipeline.Safetensors;

/// <summary>How <see cref="ShardedSafetensorsWriter"/> splits and names a checkpoint.</summary>
public sealed record ShardedWriteOptions
{
    /// <summary>
    /// Most tensor bytes per shard; default <see cref="ShardSize.Default"/> (transformers' "5GB").
    /// A single tensor larger than this gets a shard of its own, as in huggingface_hub.
    /// </summary>
    public long MaxShardSizeBytes { get; init; } = ShardSize.Default;

    /// <summary>File-name stem: "model" gives model-00001-of-00003.safetensors and model.safetensors.index.json.</summary>
    public string BaseName { get; init; } = SafetensorsFileNames.DefaultBaseName;

    /// <summary>"__metadata__" of every shard; default {"format": "pt"} as transformers writes, which its loader expects.</summary>
    public IReadOnlyDictionary<string, string>? ShardMetadata { get; init; } =
        new Dictionary<string, string> { ["format"] = "pt" };
}

/// <summary>What a sharded write produced.</summary>
/// <param name="ShardPaths">The safetensors files written, in shard order.</param>
/// <param name="IndexPath">The index file, or null when everything fit in one model.safetensors.</param>
/// <param name="TotalSize">Sum of tensor byte lengths (the index's metadata.total_size).</param>
public sealed record ShardedWriteResult(IReadOnlyList<string> ShardPaths, string? IndexPath, long TotalSize);

/// <summary>
/// Writes a checkpoint as transformers' save_pretrained does: one model.safetensors when it fits in
/// one shard, otherwise model-0000i-of-0000n.safetensors plus model.safetensors.index.json.
/// </summary>
public static class ShardedSafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> into <paramref name="directory"/>. Checkpoint files of the same
    /// base name left over from an earlier save (other shard counts, a stale single file or index) are
    /// deleted afterwards, as transformers does, so the directory never mixes two checkpoints.
    /// </summary>
    public static ShardedWriteResult Write(string directory, IEnumerable<TensorPayload> tensors, ShardedWriteOptions? options = null)
    {
        options ??= new ShardedWriteOptions();
        Directory.CreateDirectory(directory);
        var shards = PlanShards(tensors, options.MaxShardSizeBytes);
        var totalSize = shards.Sum(shard => shard.Sum(t => t.ByteLength));

        var paths = new List<string>();
        string? indexPath = null;
        if (shards.Count <= 1)
        {
            var path = Path.Combine(directory, SafetensorsFileNames.SingleFile(options.BaseName));
            SafetensorsWriter.Write(path, shards.Count == 0 ? [] : shards[0], options.ShardMetadata);
            paths.Add(path);
        }
        else
        {
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < shards.Count; i++)
            {
                var fileName = SafetensorsFileNames.Shard(options.BaseName, i + 1, shards.Count);
                var path = Path.Combine(directory, fileName);
                SafetensorsWriter.Write(path, shards[i], options.ShardMetadata);
                paths.Add(path);
                foreach (var tensor in shards[i])
                    weightMap[tensor.Name] = fileName;
            }
            indexPath = Path.Combine(directory, SafetensorsFileNames.IndexFile(options.BaseName));
            new SafetensorsIndex(weightMap, totalSize).Write(indexPath);
        }

        var keep = paths.Append(indexPath).OfType<string>().Select(Path.GetFileName).ToHashSet();
        foreach (var stale in Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>()
                     .Where(name => SafetensorsFileNames.IsCheckpointFile(name, options.BaseName) && !keep.Contains(name)).ToList())
            File.Delete(Path.Combine(directory, stale));
        return new ShardedWriteResult(paths, indexPath, totalSize);
    }

    /// <summary>
    /// huggingface_hub's split: walk the tensors in the given order, start a new shard when the next
    /// tensor would push the current one past the limit, and give any tensor larger than the limit a
    /// shard of its own.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<TensorPayload>> PlanShards(IEnumerable<TensorPayload> tensors, long maxShardSizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShardSizeBytes, 1);
        var shards = new List<IReadOnlyList<TensorPayload>>();
        var current = new List<TensorPayload>();
        long currentSize = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            if (!names.Add(tensor.Name))
                throw new ArgumentException($"Tensor name '{tensor.Name}' is given twice; names in a checkpoint are unique.", nameof(tensors));
            if (tensor.ByteLength > maxShardSizeBytes)
            {
                shards.Add([tensor]);
                continue;
            }
            if (currentSize + tensor.ByteLength > maxShardSizeBytes)
            {
                shards.Add(current);
                current = [];
                currentSize = 0;
            }
            current.Add(tensor);
            currentSize += tensor.ByteLength;
        }
        if (current.Count > 0)
            shards.Add(current);
        return shards;
    }
}
